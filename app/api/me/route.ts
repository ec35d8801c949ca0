// GET /api/me - the caller's credit balance, tier and recent credit movements
import { clientOf, withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { startingBalanceFor } from '@/lib/limits/admit';
import { ownerSummary } from '@/lib/owners/summary';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// Writes nothing: a visitor who has not generated yet sees the balance its first video would start from.
export const GET = withOwner('GET /api/me', async (req, { app, ownerId }) =>
  json(await ownerSummary(app.db, ownerId, () => startingBalanceFor(app.db, app.config, clientOf(req, app), app.now())), {
    headers: { 'cache-control': 'no-store' },
  }),
);
