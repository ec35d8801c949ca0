// Runs once when a server boots. It registers tracing when an exporter is configured, and starts the
// in-process queue scheduler (not on Vercel, where cron and kicks drive the queue), so queued work
// resumes after a restart even before anyone opens a page.
export async function register(): Promise<void> {
  // Next's own variables, set by the runtime for each bundle and phase, not configuration: they decide
  // whether to load config at all (not in the edge runtime, not during `next build`), so lib/config.ts
  // cannot be the one to read them.
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { tracingSettings } = await import('./lib/config');
  const { errorFields, log } = await import('./lib/log');
  try {
    const tracing = tracingSettings();
    if (!tracing.instrument) (await import('./lib/trace')).setTracingEnabled(false);
    // Before the app is built, so the first request is traced. The SDK reads the OTEL_* variables itself.
    if (tracing.register) (await import('@vercel/otel')).registerOTel({ serviceName: 'cueframe' });
  } catch (err) {
    log.error('tracing failed to start; serving untraced', errorFields(err));
  }
  const { getApp } = await import('./lib/app');
  try {
    const app = await getApp();
    log.info('cueframe ready', { db: app.db.kind, scheduler: Boolean(app.scheduler), concurrency: app.config.concurrency });
  } catch (err) {
    log.error('cueframe failed to start', errorFields(err));
  }
}
