// An App wired to a test database and a temp store, with no scheduler: tests drive the queue themselves.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setApp, type App } from '@/lib/app';
import { loadConfig, type Config } from '@/lib/config';
import type { Db } from '@/lib/db/types';
import { createProviders, type Providers } from '@/lib/providers';
import { LocalStorage } from '@/lib/storage/local';
import { configuredPolicies } from '@/lib/pipeline/workflow';

export const TEST_SECRET = 'test-secret-0123456789abcdef';

/**
 * The per-client limits, off: tests call routes many times from one client (every in-process
 * request counts as the client 'unknown'). A test of the limits turns on the ones it checks.
 */
export const LIMITS_OFF = {
  ANON_GRANTS_PER_IP_PER_DAY: '0',
  RATE_LIMIT_GENERATE_PER_MINUTE: '0',
  RATE_LIMIT_ESTIMATE_PER_MINUTE: '0',
  RATE_LIMIT_ADMIN_LOGIN_PER_15_MINUTES: '0',
} as const;

export interface TestApp extends App {
  kicks: number[];
  dataDir: string;
  cleanup(): Promise<void>;
}

export async function createTestApp(
  db: Db,
  opts: { env?: Record<string, string>; providers?: Providers; now?: () => Date } = {},
): Promise<TestApp> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-app-'));
  const config: Config = loadConfig({ DATA_DIR: dataDir, SCHEDULER: 'off', ...LIMITS_OFF, ...opts.env });
  const kicks: number[] = [];
  const app: TestApp = {
    config,
    db,
    secret: TEST_SECRET,
    storage: new LocalStorage({ root: path.join(dataDir, 'storage'), secret: TEST_SECRET }),
    providers: opts.providers ?? createProviders(config),
    now: opts.now ?? (() => new Date()),
    kicker: { kick: async (n) => void kicks.push(n) },
    scheduler: null,
    policies: configuredPolicies(config.taskPolicies),
    kicks,
    dataDir,
    async cleanup() {
      setApp(null);
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
  setApp(app);
  return app;
}
