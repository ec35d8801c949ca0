// Requests that arrive together are accepted together: one call of cueframe_accept_videos
// (db/functions/cueframe_accept_videos.sql) and one commit for all of them, so under load a commit's cost is shared. A
// request that arrives while fewer than MAX_IN_FLIGHT calls are running goes out at once, alone:
// batching never adds a wait of its own, it only gathers what queued behind a running call.
import type { Db } from '@/lib/db/types';
import { errorFields, log } from '@/lib/log';
import type { VideoStatus } from './types';

export interface AcceptVideo {
  id: string;
  key: string | null;
  topic: string;
  description: string | null;
  sceneCount: number;
  aspectRatio: string;
  resolution: string;
  provider: string;
  motion: string;
  voice: string;
  burnCaptions: boolean;
  callbackUrl: string | null;
  cost: number;
  language: string;
  script: string | null;
  music: string;
  musicVolume: number;
  review: boolean;
  metadata: Record<string, string>;
  /** The accept span's W3C traceparent (lib/trace.ts), stored with the video and its tasks; null when untraced. */
  traceparent: string | null;
}

export interface AcceptRequest {
  owner: string;
  startingCredits: number;
  maxActive: number;
  key: string | null;
  /** A LIKE pattern for the keys of a batch's videos (`key#00`, `key#01`, …), escaped. */
  keyPattern: string | null;
  hash: string;
  maxAttempts: number;
  now: Date;
  videos: AcceptVideo[];
}

export interface AcceptRow {
  outcome: 'created' | 'replayed' | 'key_reused' | 'too_many_active' | 'insufficient_credits';
  id: string | null;
  status: VideoStatus | null;
  cost_credits: number | null;
  active: number | null;
  needed: number | null;
}

/** Plan-task priority per owner tier. */
export const TIER_PRIORITY = { standard: 0, premium: 10 } as const;

const ACCEPT_SQL = `select req, outcome, id, status, cost_credits, active, needed
  from cueframe_accept_videos($1::jsonb, $2::jsonb)`;

const MAX_IN_FLIGHT = 4;
const MAX_BATCH = 32;

interface Pending {
  request: AcceptRequest;
  resolve(rows: AcceptRow[]): void;
  reject(err: unknown): void;
}

class AcceptBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(private readonly db: Db) {}

  accept(request: AcceptRequest): Promise<AcceptRow[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    let rows: Array<AcceptRow & { req: number }>;
    try {
      rows = (await this.db.query<AcceptRow & { req: number }>(ACCEPT_SQL, [
        JSON.stringify(TIER_PRIORITY), JSON.stringify(batch.map((p) => p.request)),
      ])).rows;
    } catch (err) {
      // Refusals come back as rows, so an error is a fault; one request's fault must not fail the
      // requests it happened to share a call with, so each is tried again on its own.
      if (batch.length === 1) return batch[0]!.reject(err);
      log.warn('accept: a shared call failed; trying its requests one by one', { requests: batch.length, ...errorFields(err) });
      await Promise.all(batch.map((p) => this.run([p])));
      return;
    }
    const byRequest = batch.map((): AcceptRow[] => []);
    for (const { req, ...row } of rows) byRequest[req]?.push(row);
    batch.forEach((p, i) => p.resolve(byRequest[i]!));
  }
}

const batchers = new WeakMap<Db, AcceptBatcher>();

/** Accepts one request, together with whatever else is waiting to be accepted on the same database. */
export function acceptVideos(db: Db, request: AcceptRequest): Promise<AcceptRow[]> {
  let b = batchers.get(db);
  if (!b) batchers.set(db, (b = new AcceptBatcher(db)));
  return b.accept(request);
}
