// graphile-worker as a second baseline for bench:queue: its own runner with `workers` concurrent
// workers and a no-op task, on a fresh database of the same server. It owns its claim loop (there is
// no public fetch-one-job call to put behind measure.ts), so what is measured is how fast the runner
// drains a preloaded queue: completions per second between the end of the warm-up and the last job.
import { Logger, run, runMigrations } from 'graphile-worker';
import { withBenchDatabase } from '../lib/db';
import { waitForQuiet, type Quiet } from '../lib/machine';
import { elapsedMs } from '../lib/stats';

export interface GraphileResult {
  completed: number;
  elapsedMs: number;
  throughput: number;
  timedOut: boolean;
  quiet: Quiet;
}

const silent = new Logger(() => () => {});

export async function runGraphile(opts: { workers: number; warmup: number; n: number; phaseMaxMs: number }): Promise<GraphileResult> {
  return withBenchDatabase({ migrate: false }, async ({ url }) => {
    await runMigrations({ connectionString: url, logger: silent });
    const pg = await import('pg');
    const c = new pg.default.Client({ connectionString: url });
    await c.connect();
    try {
      // Through its public SQL API, one statement; the job count is bound, never interpolated.
      await c.query(`select graphile_worker.add_job('noop', json_build_object('n', g)) from generate_series(1, $1::int) g`, [opts.warmup + opts.n]);
      await c.query('vacuum analyze');
    } finally {
      await c.end();
    }
    const quiet = await waitForQuiet('graphile-worker', { maxWaitMs: 15_000 });
    let done = 0;
    let start: bigint | undefined = opts.warmup === 0 ? process.hrtime.bigint() : undefined;
    let finish: () => void = () => {};
    const finished = new Promise<void>((r) => (finish = r));
    // Our own pool, ended before the database is dropped: the runner's stop() does not wait for the pool
    // it would make itself, and a force-dropped database kills its idle connections with an error event.
    const pool = new pg.default.Pool({ connectionString: url, max: opts.workers + 2 });
    pool.on('error', () => {});
    const runner = await run({
      pgPool: pool,
      concurrency: opts.workers,
      noHandleSignals: true,
      pollInterval: 1_000,
      logger: silent,
      taskList: { noop: async () => {} },
    });
    runner.events.on('job:success', () => {
      done++;
      if (done === opts.warmup) start = process.hrtime.bigint();
      if (done === opts.warmup + opts.n) finish();
    });
    const timer = setTimeout(finish, opts.phaseMaxMs + 5_000);
    await finished;
    clearTimeout(timer);
    const ms = start ? elapsedMs(start) : Number.NaN;
    const completed = Math.max(0, done - opts.warmup);
    await runner.stop();
    await pool.end();
    return { completed, elapsedMs: ms, throughput: ms > 0 ? (completed / ms) * 1000 : 0, timedOut: completed < opts.n, quiet };
  });
}
