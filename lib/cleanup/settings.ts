// Cleanup's settings come from config (CLEANUP_INTERMEDIATES_DAYS, CLEANUP_TEMP_HOURS, REVIEW_TTL_HOURS). The deps take
// the parts of an App they use rather than App itself, so this module does not import lib/app.ts,
// which imports it.
import type { Config } from '@/lib/config';
import type { Db } from '@/lib/db/types';
import { AppError } from '@/lib/errors';
import type { KindPolicy } from '@/lib/queue/registry';
import type { Storage } from '@/lib/storage/types';
import type { CleanupDeps, Retention } from './types';

/** The retention to clean with; a bad setting refuses cleanup (misconfigured) rather than guess. */
export function cleanupSettings(config: Pick<Config, 'cleanup'>): Retention {
  if ('misconfigured' in config.cleanup) throw new AppError('misconfigured', config.cleanup.misconfigured);
  return config.cleanup;
}

/** The cleanup inputs of a running app: its database, store, clock, retention and webhook policy. */
export function cleanupDeps(app: {
  db: Db; storage: Storage; now: () => Date; config: Pick<Config, 'cleanup'>; policies: { webhook: KindPolicy };
}): CleanupDeps {
  return { db: app.db, storage: app.storage, now: app.now, retention: cleanupSettings(app.config), webhookAttempts: app.policies.webhook.maxAttempts };
}
