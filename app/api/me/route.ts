// GET /api/me - the caller's credit balance, tier, recent credit movements and webhook signing secret
import { clientOf, withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { webhookSecretSettings } from '@/lib/app';
import { startingBalanceFor } from '@/lib/limits/admit';
import { ownerSummary } from '@/lib/owners/summary';
import type { Body, meSchema } from '@/lib/schemas/responses';
import { ownerWebhookSecrets, webhookSecretView } from '@/lib/webhooks/secrets';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// A visitor who has not generated yet sees the balance its first video would start from, and no
// webhook secret: reading makes no owner row. An owner's secret is made the first time it is shown.
export const GET = withOwner('GET /api/me', async (req, { app, ownerId }) => {
  const summary = await ownerSummary(app.db, ownerId, () => startingBalanceFor(app.db, app.config, clientOf(req, app), app.now()));
  const secrets = await ownerWebhookSecrets(app.db, ownerId, webhookSecretSettings(app), app.now());
  return json({ ...summary, webhooks: webhookSecretView(secrets) } satisfies Body<typeof meSchema>, { headers: { 'cache-control': 'no-store' } });
});
