// pg-boss's side of bench:queue: the same table shapes, loaded by SQL straight into its job table
// (the queue's partition), fetched one job at a time and completed through its public API.
import PgBoss from 'pg-boss';
import { bulkLoad } from '../lib/db';
import type { QueueDriver } from './measure';
import { totalRows, type TableShape } from './scenarios';

export const QUEUE = 'bench';
export const SCHEMA = 'pgboss';

/** A pg-boss instance with no background maintenance, monitoring or cron: only our calls touch the tables. */
export async function startBoss(url: string, max: number): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, max, schema: SCHEMA, supervise: false, schedule: false, migrate: true });
  boss.on('error', (err) => {
    // 57P01: the run's own `drop database … with (force)` ending connections pg-boss still held.
    if ((err as Error & { code?: string }).code !== '57P01') console.error('pg-boss error:', err.message);
  });
  await boss.start();
  await boss.createQueue(QUEUE);
  return boss;
}

/** Same row order as Cueframe's loader: completed, then active (started a day ago, expired after 15 minutes,
 * not yet failed by maintenance: what crashed workers leave; or with `liveLeases` a century-long expiry),
 * then created. */
export async function loadPgBoss(url: string, shape: TableShape): Promise<void> {
  await bulkLoad(url, [{
    text: `insert into ${SCHEMA}.job (name, data, state, priority, retry_limit, start_after, started_on, completed_on,
                                      expire_in, created_on, keep_until, policy)
           select $1::text, jsonb_build_object('videoId', md5('bench-video-' || (g / 10))::uuid, 'n', g),
                  (case when g < $2::int then 'completed' when g < $2::int + $3::int then 'active' else 'created' end)::${SCHEMA}.job_state,
                  0, 2, t.at,
                  case when g < $2::int + $3::int then t.at end,
                  case when g < $2::int then t.at end,
                  case when $5::boolean and g >= $2::int and g < $2::int + $3::int then interval '100 years' else interval '15 minutes' end,
                  t.at, now() + interval '14 days', 'standard'
           from generate_series(0, $4::int - 1) g
           cross join lateral (select now() - interval '1 day' + g * interval '1 millisecond' as at) t`,
    values: [QUEUE, shape.done, shape.stuck, totalRows(shape), shape.liveLeases ?? false],
  }], [`${SCHEMA}.job`]);
}

interface Fetched {
  id: string;
}

export function pgBossDriver(boss: PgBoss): QueueDriver<Fetched> {
  return {
    async claim() {
      const [job] = await boss.fetch<object>(QUEUE, { batchSize: 1 });
      return job ? { id: job.id } : null;
    },
    async complete(job) {
      // complete() resolves { jobs, requested, affected } at runtime; its .d.ts says void.
      const r = (await boss.complete(QUEUE, job.id)) as unknown as { affected?: number } | undefined;
      return r?.affected === undefined ? true : r.affected === 1;
    },
  };
}
