// GET /api/me - the caller's credit balance, tier and recent credit movements
import { withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { ownerSummary } from '@/lib/owners/summary';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = withOwner('GET /api/me', async (_req, { app, ownerId }) =>
  json(await ownerSummary(app.db, ownerId, app.config.startingCredits, app.now()), { headers: { 'cache-control': 'no-store' } }),
);
