// Delivers one webhook event. The event (and its id) was fixed when the outcome was written, so every
// retry of this task sends the same event; fresh signed file URLs are added at delivery time. It is
// signed with the video owner's secrets as they stand at this attempt, so a rotation takes effect on
// the next retry.
import { createHmac } from 'node:crypto';
import type { StepHandler } from '@/lib/pipeline/context';
import { urlSigner } from '@/lib/videos/urls';
import { deliverWebhook } from '@/lib/webhooks/deliver';
import { ownerWebhookSecrets, type SecretSettings } from '@/lib/webhooks/secrets';

interface EventRow {
  id: string;
  url: string;
  owner_id: string;
  payload: Record<string, unknown>;
  video_key: string | null;
  poster_key: string | null;
  captions_key: string | null;
}

export interface WebhookSettings extends SecretSettings {
  /** Signs the deprecated `cueframe-signature` header only. */
  legacySecret: string;
  allowPrivate: boolean;
  appUrl?: string;
  urlTtlSeconds: number;
}

/**
 * The one secret the deprecated `cueframe-signature` header is signed with, for every owner:
 * WEBHOOK_SECRET, or one derived from the signing secret.
 */
export function webhookSecret(configured: string | undefined, signingSecret: string): string {
  return configured ?? createHmac('sha256', signingSecret).update('cueframe-webhooks').digest('base64url');
}

export function webhookStep(settings: WebhookSettings): StepHandler {
  return async (task, ctx) => {
    const event = (
      await ctx.db.query<EventRow>(
        `select e.id, e.url, v.owner_id, e.payload, v.video_key, v.poster_key, v.captions_key
         from webhook_events e join videos v on v.id = e.video_id where e.id = $1::uuid`,
        [task.ref],
      )
    ).rows[0];
    if (!event) throw new Error(`webhook event ${task.ref} is missing`);
    const sign = urlSigner(ctx.storage, ctx.now(), settings.urlTtlSeconds, task.video_id);
    const absolute = (u: string | null) => (u && settings.appUrl && u.startsWith('/') ? new URL(u, settings.appUrl).toString() : u);
    const urls = {
      video: absolute(await sign(event.video_key)),
      poster: absolute(await sign(event.poster_key, { access: 'public' })),
      captions: absolute(await sign(event.captions_key)),
    };
    const body = JSON.stringify({ ...event.payload, urls });
    const owned = await ownerWebhookSecrets(ctx.db, event.owner_id, settings, ctx.now());
    // Every video's owner has a row (accepting a video makes it), so this is a broken invariant.
    if (!owned) throw new Error(`owner ${event.owner_id} of webhook event ${event.id} is missing`);
    const secrets = owned.previous ? [owned.current, owned.previous.secret] : [owned.current];
    const { status } = await deliverWebhook({
      url: event.url, eventId: event.id, body, secrets, legacySecret: settings.legacySecret,
      allowPrivate: settings.allowPrivate, signal: ctx.signal,
    });
    return async (tx, now) => {
      await tx.query('update webhook_events set delivered_at = $2::timestamptz, last_status = $3::int where id = $1::uuid', [event.id, now, status]);
    };
  };
}
