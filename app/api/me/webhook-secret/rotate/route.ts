// POST /api/me/webhook-secret/rotate - replaces the caller's webhook signing secret and answers the new one
import { withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { webhookSecretSettings } from '@/lib/app';
import { AppError } from '@/lib/errors';
import type { Body, webhookSecretViewSchema } from '@/lib/schemas/responses';
import { rotateWebhookSecret, webhookSecretView } from '@/lib/webhooks/secrets';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// The old secret keeps signing alongside for the grace period (WEBHOOK_ROTATION_GRACE_SECONDS).
export const POST = withOwner('POST /api/me/webhook-secret/rotate', async (_req, { app, ownerId }) => {
  const secrets = await rotateWebhookSecret(app.db, ownerId, webhookSecretSettings(app), app.now());
  if (!secrets) throw new AppError('not_found', 'There is no webhook secret before your first video: generate one, then rotate.');
  return json(webhookSecretView(secrets) satisfies Body<typeof webhookSecretViewSchema>, { headers: { 'cache-control': 'no-store' } });
});
