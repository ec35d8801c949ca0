// The time budget: nothing is claimed that cannot finish in the time left, and an overrun is handed back.
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StepHandler } from '@/lib/pipeline/context';
import { processOne } from '@/lib/pipeline/worker';
import { kindsThatFit } from '@/lib/queue/worker';
import { LocalStorage } from '@/lib/storage/local';
import { useQueueDatabase, type TestDatabase } from '../helpers/db';
import { deps, noopHandlers, seedVideos } from '../helpers/queue';

const storage = new LocalStorage({ root: path.join(os.tmpdir(), `cueframe-budget-${process.pid}`), secret: 'x'.repeat(32) });
const policies = {
  plan: { maxAttempts: 3, estimateMs: 1_000 },
  render: { maxAttempts: 3, estimateMs: 60_000 },
  compose: { maxAttempts: 3, estimateMs: 30_000 },
  webhook: { maxAttempts: 3, estimateMs: 60_000 },
};
const database = useQueueDatabase();
let t: TestDatabase;
beforeEach(() => {
  t = database();
});

describe('time budget', () => {
  it('only kinds whose estimate fits the time left are claimable', () => {
    expect(kindsThatFit(policies, 1_000 + 45_000, 1_000)).toEqual(['plan', 'compose']);
    expect(kindsThatFit(policies, 1_000 + 500, 1_000)).toEqual([]);
    expect(kindsThatFit(policies, undefined, 1_000)).toEqual(['plan', 'render', 'compose', 'webhook']);
  });

  it('does not claim a task it cannot finish in the time left', async () => {
    await seedVideos(t.db, 1);
    const d = deps(t.db, storage, { policies, handlers: noopHandlers });
    expect(await processOne(d, { invocationId: 'late', deadline: Date.now() + 500 })).toBeNull();
    const task = await t.db.query('select status, attempts from tasks');
    expect(task.rows).toEqual([{ status: 'ready', attempts: 0 }]);
    expect((await processOne(d, { invocationId: 'early', deadline: Date.now() + 5_000 }))?.outcome).toBe('completed');
  });

  it('a step that overruns the budget is aborted and handed back at once for another invocation', async () => {
    await seedVideos(t.db, 1);
    const stuck: StepHandler = async (_task, ctx) => {
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      return async () => {};
    };
    const d = deps(t.db, storage, { policies: { ...policies, plan: { maxAttempts: 3, estimateMs: 10 } }, handlers: { ...noopHandlers, plan: stuck } });
    const started = Date.now();
    const r = await processOne(d, { invocationId: 'overrun', deadline: Date.now() + 300 });
    expect(r).toMatchObject({ outcome: 'released' });
    expect(Date.now() - started).toBeLessThan(2_000);
    const task = await t.db.query<{ status: string; run_at: Date; last_error_code: string }>('select status, run_at, last_error_code from tasks');
    expect(task.rows[0]).toMatchObject({ status: 'ready', last_error_code: 'time_budget_exceeded' });
    expect(task.rows[0]!.run_at.getTime()).toBeLessThanOrEqual(Date.now());
    const next = await processOne(deps(t.db, storage, { handlers: noopHandlers }), { invocationId: 'next' });
    expect(next).toMatchObject({ attempt: 2, outcome: 'completed' });
    const types = await t.db.query<{ type: string }>("select type from task_events where type in ('released', 'completed') order by id");
    expect(types.rows.map((e) => e.type)).toEqual(['released', 'completed']);
  });
});
