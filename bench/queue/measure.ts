// The claim-and-complete loop both queues are measured with: `workers` concurrent claimers, each doing
// claim → complete one task at a time, until `count` claims were attempted or `maxMs` passed.
import { elapsedMs, summarize, type Summary } from '../lib/stats';

/** One queue behind the loop. A claim returns the claimed job, or null when it found nothing. */
export interface QueueDriver<J> {
  claim(worker: number, seq: number): Promise<J | null>;
  /** Resolves false if the job was no longer ours to complete. */
  complete(job: J, worker: number, seq: number): Promise<boolean>;
}

export interface MeasureOptions {
  workers: number;
  /** Claims to attempt across all workers. */
  count: number;
  /** Hard stop for the phase. */
  maxMs: number;
  /** A worker stops after this many empty claims in a row (the queue is drained or blocked). */
  maxEmptyStreak?: number;
}

export interface Measurement {
  completed: number;
  lost: number;
  empty: number;
  elapsedMs: number;
  timedOut: boolean;
  throughput: number;
  claimMs: Summary;
  completeMs: Summary;
}

export async function measure<J>(driver: QueueDriver<J>, o: MeasureOptions): Promise<Measurement> {
  const claimMs: number[] = [];
  const completeMs: number[] = [];
  let issued = 0;
  let completed = 0;
  let lost = 0;
  let empty = 0;
  let timedOut = false;
  const maxEmptyStreak = o.maxEmptyStreak ?? 20;
  const start = process.hrtime.bigint();

  const worker = async (w: number) => {
    let emptyStreak = 0;
    while (issued < o.count) {
      if (elapsedMs(start) > o.maxMs) {
        timedOut = true;
        return;
      }
      const seq = issued++;
      const t0 = process.hrtime.bigint();
      const job = await driver.claim(w, seq);
      const tClaim = elapsedMs(t0);
      if (job === null) {
        empty++;
        if (++emptyStreak >= maxEmptyStreak) return;
        await new Promise((r) => setTimeout(r, 2));
        continue;
      }
      emptyStreak = 0;
      claimMs.push(tClaim);
      const t1 = process.hrtime.bigint();
      if (await driver.complete(job, w, seq)) completed++;
      else lost++;
      completeMs.push(elapsedMs(t1));
    }
  };

  await Promise.all(Array.from({ length: o.workers }, (_, w) => worker(w)));
  const total = elapsedMs(start);
  return {
    completed,
    lost,
    empty,
    elapsedMs: total,
    timedOut,
    throughput: total > 0 ? (completed / total) * 1000 : 0,
    claimMs: summarize(claimMs),
    completeMs: summarize(completeMs),
  };
}
