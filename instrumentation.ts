// Runs once when a server boots. It starts the in-process queue scheduler (not on Vercel, where cron
// and kicks drive the queue), so queued work resumes after a restart even before anyone opens a page.
export async function register(): Promise<void> {
  // Next's own variables, set by the runtime for each bundle and phase, not configuration: they decide
  // whether to load config at all (not in the edge runtime, not during `next build`), so lib/config.ts
  // cannot be the one to read them.
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { getApp } = await import('./lib/app');
  const { errorFields, log } = await import('./lib/log');
  try {
    const app = await getApp();
    log.info('cueframe ready', { db: app.db.kind, scheduler: Boolean(app.scheduler), concurrency: app.config.concurrency });
  } catch (err) {
    log.error('cueframe failed to start', errorFields(err));
  }
}
