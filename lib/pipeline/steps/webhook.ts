// Delivers one webhook event. The event (and its id) was fixed when the outcome was written, so every
// retry of this task sends the same event; fresh signed file URLs are added at delivery time.
import { createHmac } from 'node:crypto';
import type { StepHandler } from '@/lib/pipeline/context';
import { urlSigner } from '@/lib/videos/urls';
import { deliverWebhook } from '@/lib/webhooks/deliver';

interface EventRow {
  id: string;
  url: string;
  payload: Record<string, unknown>;
  video_key: string | null;
  poster_key: string | null;
  captions_key: string | null;
}

export interface WebhookSettings {
  secret: string;
  allowPrivate: boolean;
  appUrl?: string;
  urlTtlSeconds: number;
}

/** The secret receivers verify with: WEBHOOK_SECRET, or one derived from the signing secret. */
export function webhookSecret(configured: string | undefined, signingSecret: string): string {
  return configured ?? createHmac('sha256', signingSecret).update('cueframe-webhooks').digest('base64url');
}

export function webhookStep(settings: WebhookSettings): StepHandler {
  return async (task, ctx) => {
    const event = (
      await ctx.db.query<EventRow>(
        `select e.id, e.url, e.payload, v.video_key, v.poster_key, v.captions_key
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
    const { status } = await deliverWebhook({
      url: event.url, eventId: event.id, body, secret: settings.secret, allowPrivate: settings.allowPrivate, signal: ctx.signal,
    });
    return async (tx, now) => {
      await tx.query('update webhook_events set delivered_at = $2::timestamptz, last_status = $3::int where id = $1::uuid', [event.id, now, status]);
    };
  };
}
