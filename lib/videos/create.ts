// Accepting a request: the video row and its first task commit together, so a video is never
// accepted without work queued for it.
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '@/lib/db/types';
import { AppError } from '@/lib/errors';
import { enqueueTask } from '@/lib/queue/enqueue';
import type { MotionName, ProviderName } from '@/lib/providers/types';
import type { GenerateVideoRequest } from '@/lib/schemas/video';

/** A request with the server's defaults filled in. */
export type ResolvedRequest = GenerateVideoRequest & { provider: ProviderName; motion: MotionName };

export interface CreateVideoInput {
  ownerId: string;
  request: ResolvedRequest;
  idempotencyKey?: string;
  maxAttempts: number;
  now: Date;
}

export interface CreatedVideo {
  id: string;
  status: string;
  /** False when an earlier request with the same Idempotency-Key already created it. */
  created: boolean;
}

function requestHash(r: ResolvedRequest): string {
  const canonical = [r.topic, r.description ?? '', r.sceneCount, r.aspectRatio, r.resolution, r.provider, r.motion, r.voice, r.burnCaptions];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export async function createVideo(db: Db, input: CreateVideoInput): Promise<CreatedVideo> {
  const { request: r, now } = input;
  const hash = requestHash(r);
  return db.transaction(async (tx) => {
    // With a key, a concurrent duplicate waits on the unique index, then finds this row below.
    const inserted = await tx.query<{ id: string; status: string }>(
      `insert into videos (id, owner_id, idempotency_key, request_hash, topic, description, scene_count,
                           aspect_ratio, resolution, provider, motion, voice, burn_captions, created_at, updated_at)
       values ($1::uuid, $2::text, $3::text, $4::text, $5::text, $6::text, $7::int, $8::text, $9::text, $10::text,
               $12::text, $13::text, $14::boolean, $11::timestamptz, $11::timestamptz)
       on conflict (owner_id, idempotency_key) do nothing
       returning id, status`,
      [randomUUID(), input.ownerId, input.idempotencyKey ?? null, hash, r.topic, r.description ?? null, r.sceneCount,
       r.aspectRatio, r.resolution, r.provider, now, r.motion, r.voice, r.burnCaptions],
    );
    const row = inserted.rows[0];
    if (row) {
      await enqueueTask(tx, { videoId: row.id, kind: 'plan', maxAttempts: input.maxAttempts, now });
      return { ...row, created: true };
    }
    const existing = await tx.query<{ id: string; status: string; request_hash: string }>(
      'select id, status, request_hash from videos where owner_id = $1::text and idempotency_key = $2::text',
      [input.ownerId, input.idempotencyKey ?? null],
    );
    const prior = existing.rows[0];
    if (!prior) throw new Error('idempotent insert conflicted but no row was found');
    if (prior.request_hash !== hash) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request body.');
    }
    return { id: prior.id, status: prior.status, created: false };
  });
}
