// A full App (lib/app.ts createApp) on a throwaway database and DATA_DIR, torn down afterwards, and the
// route's way of accepting a video: parse, resolve, createVideo, then kick.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseWith } from '@/lib/api/body';
import { createApp, type App } from '@/lib/app';
import { loadConfig } from '@/lib/config';
import { generateVideoRequestSchema } from '@/lib/schemas/video';
import { createVideo } from '@/lib/videos/create';
import { resolveRequest } from '@/lib/videos/resolve';
import { withBenchDatabase } from './db';

export const BENCH_SECRET = 'bench-signing-secret-0123456789';

/** `env` is passed to loadConfig on top of DATABASE_URL, DATA_DIR and SIGNING_SECRET; nothing else leaks in. */
export async function withBenchApp<T>(env: Record<string, string>, fn: (app: App) => Promise<T>): Promise<T> {
  return withBenchDatabase({ migrate: false }, async ({ url }) => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-bench-'));
    // createApp sets the log level from this config, not from the process environment (see ./quiet.ts).
    const config = loadConfig({ DATABASE_URL: url, DATA_DIR: dataDir, SIGNING_SECRET: BENCH_SECRET, LOG_LEVEL: process.env.LOG_LEVEL ?? 'error', ...env });
    const app = await createApp(config);
    try {
      return await fn(app);
    } finally {
      await app.scheduler?.stop();
      await app.db.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
}

export interface Enqueued {
  id: string;
  /** Wall clock just before createVideo. */
  at: number;
}

/** What POST /api/video/generate does: validate, fill server defaults, create video + plan task, then kick (unless `kick` is false). */
export async function enqueueVideo(
  app: App,
  body: { topic: string; sceneCount?: number; resolution?: '720p' | '1080p' },
  opts: { ownerId: string; kick: boolean },
): Promise<Enqueued> {
  const request = resolveRequest(app.config, parseWith(generateVideoRequestSchema, body));
  const at = Date.now();
  const video = await createVideo(app.db, { ownerId: opts.ownerId, request, maxAttempts: app.policies.plan.maxAttempts, now: app.now() });
  if (opts.kick && video.created) await app.kicker.kick(1);
  return { id: video.id, at };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
