// The composition root: config, database, storage, provider and queue wiring, built once per process.
// Route handlers and scripts get everything from here; tests build their own App with setApp().
import path from 'node:path';
import { loadConfig, type Config } from '@/lib/config';
import { openDb } from '@/lib/db';
import { migrate } from '@/lib/db/migrate';
import type { Db } from '@/lib/db/types';
import { AppError } from '@/lib/errors';
import { configureBinaries } from '@/lib/media/binaries';
import { log, setLogLevel } from '@/lib/log';
import { pipelineHandlers } from '@/lib/pipeline';
import { webhookSecret } from '@/lib/pipeline/steps/webhook';
import { configuredPolicies, type TaskKind } from '@/lib/pipeline/workflow';
import type { KindPolicy } from '@/lib/queue/registry';
import { runCleanup } from '@/lib/cleanup/run';
import { startCleanupTimer } from '@/lib/cleanup/schedule';
import { cleanupDeps } from '@/lib/cleanup/settings';
import { createProviders, type Providers } from '@/lib/providers';
import { defaultBackoff } from '@/lib/queue/backoff';
import { httpKicker, noKicker, schedulerKicker, type Kicker } from '@/lib/queue/kick';
import { runInvocation } from '@/lib/pipeline/worker';
import { Scheduler } from '@/lib/queue/scheduler';
import type { InvocationDeps } from '@/lib/pipeline/worker';
import { resolveSecret } from '@/lib/secret';
import { createBlobStorage } from '@/lib/storage/blob';
import { LocalStorage } from '@/lib/storage/local';
import type { Storage } from '@/lib/storage/types';
import type { SecretSettings } from '@/lib/webhooks/secrets';

export interface App {
  config: Config;
  db: Db;
  storage: Storage;
  providers: Providers;
  secret: string;
  now: () => Date;
  kicker: Kicker;
  scheduler: Scheduler | null;
  /** Each task kind's attempts and time estimate: the workflow's, with the environment's settings. */
  policies: Record<TaskKind, KindPolicy>;
}

/** What deriving and rotating owners' webhook secrets needs (lib/webhooks/secrets.ts). */
export function webhookSecretSettings(app: App): SecretSettings {
  return { masterSecret: app.secret, rotationGraceMs: app.config.webhookRotationGraceMs };
}

export function workerDeps(app: App): InvocationDeps {
  return {
    db: app.db,
    storage: app.storage,
    providers: app.providers,
    handlers: pipelineHandlers({
      legacySecret: webhookSecret(app.config.webhookSecret, app.secret),
      ...webhookSecretSettings(app),
      allowPrivate: app.config.webhookAllowPrivate,
      appUrl: app.config.appUrl,
      urlTtlSeconds: app.config.signedUrlTtlSeconds,
    }),
    now: app.now,
    leaseMs: app.config.leaseMs,
    heartbeatMs: app.config.heartbeatMs,
    backoff: { ...defaultBackoff, baseMs: app.config.backoffBaseMs, capMs: app.config.backoffCapMs },
    policies: app.policies,
    maxRunning: app.config.maxRunning,
    ownerMaxRunning: app.config.ownerMaxRunning,
    kicker: app.kicker,
    concurrency: app.config.concurrency,
    budgetMs: app.config.processBudgetMs,
    instanceId: app.config.instanceId,
  };
}

export async function createApp(config: Config = loadConfig(), opts: { startScheduler?: boolean } = {}): Promise<App> {
  setLogLevel(config.logLevel);
  configureBinaries(config.binaries);
  const secret = resolveSecret(config);
  for (const name of config.refusedSecrets) {
    log.error('secret refused', { name, reason: 'shorter than 16 characters; the routes it guards stay closed until it is fixed' });
  }
  if (!config.onVercel && config.trustProxy === 0 && Object.values(config.limits).some((n) => n > 0)) {
    log.warn('client limits count every request as one client', {
      reason: 'no client address is trusted off Vercel without TRUST_PROXY; behind a proxy, set TRUST_PROXY to the number of proxies',
    });
  }
  const db = await openDb(config).catch((err: unknown) => {
    // A second process on the embedded database is a set-up problem the operator must see plainly.
    if (err instanceof Error && err.name === 'DataDirInUseError') throw new AppError('misconfigured', err.message);
    throw err;
  });
  await migrate(db);
  // Vercel Blob when a store is attached; the embedded local store otherwise.
  const storage: Storage = config.blobToken
    ? createBlobStorage({ token: config.blobToken, defaultTtlSeconds: config.signedUrlTtlSeconds })
    : new LocalStorage({ root: path.join(/* turbopackIgnore: true */ config.dataDir, 'storage'), secret, defaultTtlSeconds: config.signedUrlTtlSeconds });
  const app: App = {
    config, db, storage, secret,
    providers: createProviders(config),
    now: () => new Date(),
    kicker: noKicker,
    scheduler: null,
    policies: configuredPolicies(config.taskPolicies),
  };
  if (config.scheduler && opts.startScheduler !== false) {
    const scheduler = new Scheduler({
      concurrency: config.concurrency,
      pollMs: config.schedulerPollMs,
      runOnce: async () => (await runInvocation(workerDeps(app), 'scheduler')).processed !== null,
    });
    app.scheduler = scheduler;
    app.kicker = schedulerKicker(scheduler);
    scheduler.start();
    // Vercel runs cleanup from its own daily cron; a self-hosted server does it here, and stops it
    // with the scheduler.
    scheduler.onStop(startCleanupTimer(() => runCleanup(cleanupDeps(app))));
  } else if (config.appUrl) {
    app.kicker = httpKicker({ baseUrl: config.appUrl, cronSecret: config.cronSecret, protectionBypass: config.protectionBypass });
  }
  return app;
}

const globalKey = Symbol.for('cueframe.app');
type Holder = { [globalKey]?: Promise<App> };

/** The process-wide App. Kept on globalThis so dev-server reloads reuse the open database. */
export function getApp(): Promise<App> {
  const g = globalThis as Holder;
  g[globalKey] ??= createApp().catch((err) => {
    delete g[globalKey];
    throw err;
  });
  return g[globalKey];
}

export function setApp(app: App | null): void {
  const g = globalThis as Holder;
  if (app) g[globalKey] = Promise.resolve(app);
  else delete g[globalKey];
}
