// npm run bench:counters — what the running totals add to a completion: the worker's completion
// transaction (completeTask + the `completed` event, which also bumps the counters and the step's
// histogram) against the same transaction logging an uncounted event of the same size, alternated in
// batches in one process on one database so machine load hits both alike. Serial and with 8
// concurrent completers (the case the counter shards are for).
import { completeTask } from '@/lib/queue/complete';
import { appendEvent } from '@/lib/queue/events';
import type { Db } from '@/lib/db/types';
import { closeBenchServer, openPool, withBenchDatabase } from './lib/db';

const BATCH = Number(process.env.BENCH_COUNTERS_BATCH ?? 100);
const ROUNDS = Number(process.env.BENCH_COUNTERS_ROUNDS ?? 6);
const WORKERS = 8;

async function seed(db: Db, n: number): Promise<{ video: string; tasks: string[] }> {
  const video = (await db.query<{ id: string }>(
    `insert into videos (id, owner_id, request_hash, topic, scene_count, aspect_ratio, resolution, status)
     values (gen_random_uuid(), 'bench', md5(random()::text), 'bench', 1, '16:9', '720p', 'rendering') returning id`)).rows[0]!.id;
  const tasks = (await db.query<{ id: string }>(
    `insert into tasks (video_id, owner_id, kind, scene_index, status, attempts, locked_by, locked_until)
     select $1::uuid, 'bench', 'render', g, 'running', 1, 'inv-' || g, now() + interval '1 hour'
     from generate_series(1, $2::int) g returning id`, [video, n])).rows.map((r) => r.id);
  return { video, tasks };
}

async function completeOne(db: Db, video: string, task: string, counted: boolean): Promise<void> {
  const ids = { taskId: task, videoId: video, invocationId: `inv-${task}`, attempt: 1 };
  await db.query('update tasks set locked_by = $2::text where id = $1::bigint', [task, ids.invocationId]);
  await appendEvent(db, { ...ids, type: 'step_started', at: new Date() });
  await db.transaction(async (tx) => {
    const now = new Date();
    await completeTask(tx, { taskId: task, invocationId: ids.invocationId, now });
    // step_finished is logged exactly like completed but counts nothing: the difference is the counters.
    await appendEvent(tx, { ...ids, type: counted ? 'completed' : 'step_finished', at: now });
  });
}

async function timed(db: Db, video: string, tasks: string[], counted: boolean, workers: number): Promise<number> {
  const queue = [...tasks];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: workers }, async () => {
    for (let t = queue.shift(); t; t = queue.shift()) await completeOne(db, video, t, counted);
  }));
  return (performance.now() - t0) / tasks.length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  await withBenchDatabase({ migrate: true }, async (d) => {
    const db = openPool(d.url, WORKERS + 1);
    try {
      for (const workers of [1, WORKERS]) {
        const ms: Record<'plain' | 'counted', number[]> = { plain: [], counted: [] };
        for (let r = 0; r < ROUNDS; r++) {
          const order: ('plain' | 'counted')[] = r % 2 ? ['counted', 'plain'] : ['plain', 'counted'];
          for (const kind of order) {
            const { video, tasks } = await seed(db, BATCH);
            ms[kind].push(await timed(db, video, tasks, kind === 'counted', workers));
          }
        }
        const p = median(ms.plain);
        const c = median(ms.counted);
        console.log(`${workers} completer(s): ${BATCH}×${ROUNDS} each; median ms per completion: uncounted ${p.toFixed(2)}, counted ${c.toFixed(2)} (${((c / p - 1) * 100).toFixed(1)}%)`);
      }
    } finally {
      await db.close();
    }
  });
  await closeBenchServer();
}

void main();
