// Accepting generate requests, one way for every caller: the JSON route (app/api/video/generate) and
// the Generate form's Server Action (app/actions/generate.ts) both come here once they have parsed
// their input, so both enforce the same provider checks, limits, credits and idempotency.
import type { App } from '@/lib/app';
import { admitGenerate } from '@/lib/limits/admit';
import type { GenerateVideoRequest } from '@/lib/schemas/video';
import { createVideos, type CreatedVideo } from '@/lib/videos/create';
import { resolveRequest } from '@/lib/videos/resolve';
import { kickAfterResponse } from './after';

export interface GenerateInput {
  ownerId: string;
  anonymous: boolean;
  /** The bucket the request's limits count in (lib/limits/client.ts). */
  client: string;
  /** Validated requests; a batch names its issues by index ("0.voice"). */
  requests: GenerateVideoRequest[];
  batch: boolean;
  idempotencyKey?: string;
}

export interface GenerateOutcome {
  videos: CreatedVideo[];
  /** False when an earlier request with the same idempotency key already made these videos. */
  created: boolean;
  /** The RateLimit fields for the answer (empty when the generate limit is off). */
  headers: Record<string, string>;
}

export async function acceptGenerate(
  app: Pick<App, 'config' | 'db' | 'kicker' | 'now' | 'policies'>,
  input: GenerateInput,
): Promise<GenerateOutcome> {
  const requests = input.requests.map((r, i) => resolveRequest(app.config, r, input.batch ? i : undefined));
  // Only a request that passed every check above counts against the client's limits.
  const now = app.now();
  const admission = await admitGenerate(app.db, app.config, {
    ownerId: input.ownerId, anonymous: input.anonymous, client: input.client, now,
  });
  const result = await createVideos(app.db, {
    ownerId: input.ownerId,
    requests,
    idempotencyKey: input.idempotencyKey,
    maxAttempts: app.policies.plan.maxAttempts,
    startingCredits: app.config.startingCredits,
    maxActive: app.config.maxActiveVideos,
    now,
  });
  if (result.created) kickAfterResponse(app.kicker, Math.min(requests.length, app.config.concurrency), { traceparent: result.traceparent });
  return { videos: result.videos, created: result.created, headers: admission.headers };
}
