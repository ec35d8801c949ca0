// Accepting requests: the owner's credits are reserved, and each video row and its first task commit
// together, so a video is never accepted without work queued for it and paid for. A request for
// several videos is accepted whole or not at all. The checks and writes run in the database
// (./accept.ts), so accepting takes one round trip.
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '@/lib/db/types';
import { estimateVideo } from '@/lib/credits/estimate';
import { AppError } from '@/lib/errors';
import type { MotionName, ProviderName } from '@/lib/providers/types';
import type { GenerateVideoRequest } from '@/lib/schemas/video';
import { attr, currentTraceparent, withSpan } from '@/lib/trace';
import { acceptVideos } from './accept';
import type { VideoStatus } from './types';

/** A request with the server's defaults filled in. */
export type ResolvedRequest = GenerateVideoRequest & { provider: ProviderName; motion: MotionName; voice: string };

export interface CreateVideosInput {
  ownerId: string;
  requests: ResolvedRequest[];
  idempotencyKey?: string;
  /** Attempts for the plan task this creates (MAX_ATTEMPTS_PLAN). */
  maxAttempts: number;
  /** Credits a first-time owner starts with. */
  startingCredits: number;
  /** Videos an owner may have in progress at once; 0 = no cap. */
  maxActive: number;
  now: Date;
}

export interface CreatedVideo {
  id: string;
  status: VideoStatus;
  costCredits: number;
}

export interface CreatedBatch {
  videos: CreatedVideo[];
  /** False when an earlier request with the same Idempotency-Key already created them. */
  created: boolean;
  /** The accept span's traceparent, stored with the videos: a kick sends it on. Null when untraced. */
  traceparent: string | null;
}

function requestHash(rs: ResolvedRequest[]): string {
  const canonical = rs.map((r) => {
    const fields: unknown[] = [r.topic, r.description ?? '', r.sceneCount, r.aspectRatio, r.resolution, r.provider,
      r.motion, r.voice, r.burnCaptions, r.callbackUrl ?? '', r.language, r.script ?? '', r.music, r.musicVolume, r.review];
    // Key order is not meaning; and a request without metadata hashes as it did before metadata
    // existed, so a key first used then still replays.
    const meta = Object.entries(r.metadata ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return meta.length > 0 ? [...fields, meta] : fields;
  });
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** Accepts a request in span `video.accept`, the root of each of its videos' traces. */
export function createVideos(db: Db, input: CreateVideosInput): Promise<CreatedBatch> {
  return withSpan('video.accept', {}, async (span) => {
    const batch = await acceptInSpan(db, input, currentTraceparent());
    const ids = batch.videos.map((v) => v.id);
    span.setAttribute(attr.videoIds, ids);
    if (ids.length === 1) span.setAttribute(attr.videoId, ids[0]!);
    span.setAttribute(attr.outcome, batch.created ? 'created' : 'replayed');
    return batch;
  });
}

async function acceptInSpan(db: Db, input: CreateVideosInput, traceparent: string | null): Promise<CreatedBatch> {
  const { requests, ownerId } = input;
  const key = input.idempotencyKey ?? null;
  const videos = requests.map((r, i) => ({
    id: randomUUID(),
    key: key ? (requests.length === 1 ? key : `${key}#${String(i).padStart(2, '0')}`) : null,
    topic: r.topic,
    description: r.description ?? null,
    sceneCount: r.sceneCount,
    aspectRatio: r.aspectRatio,
    resolution: r.resolution,
    provider: r.provider,
    motion: r.motion,
    voice: r.voice,
    burnCaptions: r.burnCaptions,
    callbackUrl: r.callbackUrl ?? null,
    cost: estimateVideo(r).credits,
    language: r.language,
    script: r.script ?? null,
    music: r.music,
    musicVolume: r.musicVolume,
    review: r.review,
    metadata: r.metadata ?? {},
    traceparent,
  }));
  const rows = await acceptVideos(db, {
    owner: ownerId,
    startingCredits: input.startingCredits,
    maxActive: input.maxActive,
    key,
    keyPattern: key ? `${key.replace(/[\\%_]/g, '\\$&')}#%` : null,
    hash: requestHash(requests),
    maxAttempts: input.maxAttempts,
    now: input.now,
    videos,
  });
  const first = rows[0];
  switch (first?.outcome) {
    case 'key_reused':
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request body.');
    case 'too_many_active':
      throw new AppError('too_many_active_videos',
        `You can have ${input.maxActive} videos in progress at once; ${first.active} are running. Try again when one finishes.`);
    case 'insufficient_credits':
      throw new AppError('insufficient_credits', `This needs ${first.needed} credits, which is more than your balance.`);
    case undefined:
      throw new Error('cueframe_accept_videos returned nothing for a request');
    default:
      if (first.outcome === 'replayed') await refuseDeletedReplay(db, rows.map((v) => v.id!));
      return {
        videos: rows.map((v) => ({ id: v.id!, status: v.status!, costCredits: v.cost_credits! })),
        created: first.outcome === 'created',
        // A replay's videos keep the trace of the request that created them.
        traceparent: first.outcome === 'created' ? traceparent : null,
      };
  }
}

/**
 * A replay must not answer 202 with a status URL that says 404. Only replays pay for this read, and the key
 * stays spent: a new key makes a new video.
 */
async function refuseDeletedReplay(db: Db, ids: string[]): Promise<void> {
  const { rows } = await db.query<{ n: number }>(
    'select count(*)::int as n from videos where id = any($1::uuid[]) and deleted_at is not null', [ids]);
  if ((rows[0]?.n ?? 0) > 0) {
    throw new AppError('idempotency_key_deleted',
      'The video this Idempotency-Key created has been deleted. Send the request with a new key to make another.');
  }
}

/** One video for trusted callers (the CLI, scripts, tests): no cap, and a generous grant for new owners. */
export async function createVideo(
  db: Db,
  input: Omit<CreateVideosInput, 'requests' | 'startingCredits' | 'maxActive'> & {
    request: ResolvedRequest;
    startingCredits?: number;
    maxActive?: number;
  },
): Promise<CreatedVideo & { created: boolean }> {
  const batch = await createVideos(db, {
    ...input,
    requests: [input.request],
    startingCredits: input.startingCredits ?? 1_000_000,
    maxActive: input.maxActive ?? 0,
  });
  return { ...batch.videos[0]!, created: batch.created };
}
