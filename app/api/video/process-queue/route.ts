// GET /api/video/process-queue - what Vercel Cron calls: claim and run one task within the time budget
// POST /api/video/process-queue - the manual trigger (and the target of kicks): the same, on demand
import { afterResponse } from '@/lib/api/after';
import { withCron } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { workerDeps } from '@/lib/app';
import { runInvocation } from '@/lib/pipeline/worker';
import type { Trigger } from '@/lib/queue/invocation';
import type { Body, invocationResultSchema } from '@/lib/schemas/responses';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
// Hobby's ceiling; PROCESS_BUDGET_MS (default 240 s) keeps each task well inside it.
export const maxDuration = 300;

function handler(trigger: (req: Request) => Trigger) {
  return withCron('process-queue', async (req, { app }) => {
    const result = await runInvocation(workerDeps(app), trigger(req), afterResponse);
    return json(result satisfies Body<typeof invocationResultSchema>, { headers: { 'cache-control': 'no-store' } });
  });
}

export const GET = handler(() => 'cron');
export const POST = handler((req) => (req.headers.get('x-cueframe-trigger') === 'kick' ? 'kick' : 'manual'));
