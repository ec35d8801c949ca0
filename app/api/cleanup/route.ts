// GET /api/cleanup - daily Vercel Cron: remove expired scene intermediates, orphans and stale temp files
import { withCron } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { runCleanup } from '@/lib/cleanup/run';
import { cleanupDeps } from '@/lib/cleanup/settings';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
// Hobby's ceiling. A run cut short loses nothing: every deletion is idempotent and the next run resumes.
export const maxDuration = 300;

export const GET = withCron('cleanup', async (_req, { app }) => {
  const report = await runCleanup(cleanupDeps(app));
  return json(report, { headers: { 'cache-control': 'no-store' } });
});
