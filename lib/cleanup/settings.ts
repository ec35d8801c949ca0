// Cleanup's two settings, read here rather than in the shared lib/config.ts:
// CLEANUP_INTERMEDIATES_DAYS (default 7) and CLEANUP_TEMP_HOURS (default 6).
import { z } from 'zod';
import type { Db } from '@/lib/db/types';
import { AppError } from '@/lib/errors';
import type { Storage } from '@/lib/storage/types';
import type { CleanupDeps, Retention } from './types';

const schema = z.object({
  CLEANUP_INTERMEDIATES_DAYS: z.coerce.number().int().positive().default(7),
  CLEANUP_TEMP_HOURS: z.coerce.number().int().positive().default(6),
});

export function cleanupSettings(env: Record<string, string | undefined> = process.env): Retention {
  const parsed = schema.safeParse({
    // An empty value means unset, as in the rest of the app's configuration.
    CLEANUP_INTERMEDIATES_DAYS: env.CLEANUP_INTERMEDIATES_DAYS || undefined,
    CLEANUP_TEMP_HOURS: env.CLEANUP_TEMP_HOURS || undefined,
  });
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new AppError('misconfigured', `${names} must be a positive whole number.`);
  }
  return { intermediatesDays: parsed.data.CLEANUP_INTERMEDIATES_DAYS, tempFilesHours: parsed.data.CLEANUP_TEMP_HOURS };
}

/** The cleanup inputs of a running app: its database, store and clock. */
export function cleanupDeps(app: { db: Db; storage: Storage; now: () => Date }, env: Record<string, string | undefined> = process.env): CleanupDeps {
  return { db: app.db, storage: app.storage, now: app.now, retention: cleanupSettings(env) };
}
