// Accepting requests: the owner's credits are reserved, and each video row and its first task commit
// together, so a video is never accepted without work queued for it and paid for. A batch is one
// transaction: all of it is accepted or none.
import { createHash, randomUUID } from 'node:crypto';
import type { Db, Queryable } from '@/lib/db/types';
import { estimateVideo } from '@/lib/credits/estimate';
import { AppError } from '@/lib/errors';
import { ensureOwner, reserveCredits } from '@/lib/owners/credits';
import type { MotionName, ProviderName } from '@/lib/providers/types';
import { enqueueTask } from '@/lib/queue/enqueue';
import type { GenerateVideoRequest } from '@/lib/schemas/video';

/** A request with the server's defaults filled in. */
export type ResolvedRequest = GenerateVideoRequest & { provider: ProviderName; motion: MotionName };

export interface CreateVideosInput {
  ownerId: string;
  requests: ResolvedRequest[];
  idempotencyKey?: string;
  maxAttempts: number;
  /** Credits a first-time owner starts with. */
  startingCredits: number;
  /** Videos an owner may have in progress at once; 0 = no cap. */
  maxActive: number;
  now: Date;
}

export interface CreatedVideo {
  id: string;
  status: string;
  costCredits: number;
}

export interface CreatedBatch {
  videos: CreatedVideo[];
  /** False when an earlier request with the same Idempotency-Key already created them. */
  created: boolean;
}

const PRIORITY = { standard: 0, premium: 10 } as const;

function requestHash(rs: ResolvedRequest[]): string {
  const canonical = rs.map((r) => [r.topic, r.description ?? '', r.sceneCount, r.aspectRatio, r.resolution, r.provider,
    r.motion, r.voice, r.burnCaptions, r.callbackUrl ?? '']);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

async function replay(tx: Queryable, ownerId: string, key: string, hash: string): Promise<CreatedBatch | null> {
  const r = await tx.query<{ id: string; status: string; cost_credits: number; request_hash: string }>(
    `select id, status, cost_credits, request_hash from videos
     where owner_id = $1::text and (idempotency_key = $2::text or idempotency_key like $3::text)
     order by idempotency_key`,
    [ownerId, key, `${key.replace(/[\\%_]/g, '\\$&')}#%`],
  );
  if (r.rows.length === 0) return null;
  if (r.rows.some((v) => v.request_hash !== hash)) {
    throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request body.');
  }
  return { videos: r.rows.map((v) => ({ id: v.id, status: v.status, costCredits: v.cost_credits })), created: false };
}

export async function createVideos(db: Db, input: CreateVideosInput): Promise<CreatedBatch> {
  const { requests, now, ownerId } = input;
  const hash = requestHash(requests);
  const key = input.idempotencyKey;
  return db.transaction(async (tx) => {
    await ensureOwner(tx, ownerId, input.startingCredits, now);
    // The owner row lock serialises this owner's requests: a replay finds the first one's rows,
    // and the active-video cap and the balance are checked against committed state.
    const owner = (await tx.query<{ tier: 'standard' | 'premium' }>('select tier from owners where id = $1::text for update', [ownerId])).rows[0]!;
    if (key) {
      const prior = await replay(tx, ownerId, key, hash);
      if (prior) return prior;
    }
    if (input.maxActive > 0) {
      const active = (await tx.query<{ n: number }>(
        `select count(*)::int as n from videos
         where owner_id = $1::text and status in ('queued', 'planning', 'rendering', 'composing')`, [ownerId],
      )).rows[0]!.n;
      if (active + requests.length > input.maxActive) {
        throw new AppError('too_many_active_videos',
          `You can have ${input.maxActive} videos in progress at once; ${active} are running. Try again when one finishes.`);
      }
    }
    const videos: CreatedVideo[] = [];
    for (const [i, r] of requests.entries()) {
      const id = randomUUID();
      const cost = estimateVideo(r).credits;
      const videoKey = key ? (requests.length === 1 ? key : `${key}#${String(i).padStart(2, '0')}`) : null;
      await tx.query(
        `insert into videos (id, owner_id, idempotency_key, request_hash, topic, description, scene_count, aspect_ratio,
                             resolution, provider, motion, voice, burn_captions, callback_url, cost_credits, created_at, updated_at)
         values ($1::uuid, $2::text, $3::text, $4::text, $5::text, $6::text, $7::int, $8::text, $9::text, $10::text,
                 $11::text, $12::text, $13::boolean, $14::text, $15::int, $16::timestamptz, $16::timestamptz)`,
        [id, ownerId, videoKey, hash, r.topic, r.description ?? null, r.sceneCount, r.aspectRatio, r.resolution, r.provider,
         r.motion, r.voice, r.burnCaptions, r.callbackUrl ?? null, cost, now],
      );
      await reserveCredits(tx, { ownerId, videoId: id, amount: cost, round: 0, now });
      await enqueueTask(tx, { videoId: id, kind: 'plan', priority: PRIORITY[owner.tier], maxAttempts: input.maxAttempts, now });
      videos.push({ id, status: 'queued', costCredits: cost });
    }
    return { videos, created: true };
  });
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
