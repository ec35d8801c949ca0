// Fan-out and fan-in under concurrency: every scene renders once, and compose is enqueued exactly once
// however the scene completions interleave.
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db/types';
import { stepHandlers } from '@/lib/pipeline';
import { processOne } from '@/lib/pipeline/worker';
import { LocalStorage } from '@/lib/storage/local';
import { adapters, type TestDatabase } from '../helpers/db';
import { deps, eventCounts, noopStep, seedVideos } from '../helpers/queue';

const storage = new LocalStorage({ root: path.join(os.tmpdir(), `cueframe-fanin-${process.pid}`), secret: 'x'.repeat(32) });

describe.each(adapters)('fan-out and fan-in on $name', ({ create }) => {
  let t: TestDatabase;
  let racers: Db;
  beforeAll(async () => {
    t = await create();
    racers = t.connect();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('six racing invocations render six scenes once each and enqueue one compose, ten times over', async () => {
    for (let round = 0; round < 10; round++) {
      await t.db.query('truncate tasks, videos, queue_owners, task_events cascade');
      const [videoId] = await seedVideos(t.db, 1, { sceneCount: 6 });
      const d = deps(t.db, storage, { handlers: { ...stepHandlers, compose: noopStep } });
      expect((await processOne(d, { invocationId: 'planner' }))?.step).toBe('plan');

      const done = await Promise.all(
        Array.from({ length: 6 }, (_, i) => processOne({ ...d, db: racers }, { invocationId: `r${round}-${i}` })),
      );
      expect(done.map((p) => p?.step)).toEqual(Array(6).fill('render'));

      const tasks = await t.db.query<{ kind: string; n: number }>(
        'select kind, count(*)::int as n from tasks where video_id = $1::uuid group by kind order by kind', [videoId],
      );
      expect(tasks.rows).toEqual([{ kind: 'compose', n: 1 }, { kind: 'plan', n: 1 }, { kind: 'render', n: 6 }]);
      const scenes = await t.db.query<{ status: string }>('select distinct status from scenes where video_id = $1::uuid', [videoId]);
      expect(scenes.rows).toEqual([{ status: 'rendered' }]);
      const video = await t.db.query('select status, progress from videos where id = $1::uuid', [videoId]);
      expect(video.rows).toEqual([{ status: 'rendering', progress: 90 }]);
      for (const [, e] of await eventCounts(t.db)) expect(e.claimed ?? 0).toBeLessThanOrEqual(1);
    }
  });

  it('compose is enqueued by the last scene to finish, and by no earlier one', async () => {
    await t.db.query('truncate tasks, videos, queue_owners, task_events cascade');
    const [videoId] = await seedVideos(t.db, 1, { sceneCount: 4 });
    const d = deps(t.db, storage, { handlers: { ...stepHandlers, compose: noopStep } });
    expect((await processOne(d, { invocationId: 'planner' }))?.step).toBe('plan');
    const composeTasks = async () => (await t.db.query<{ status: string }>(
      "select status from tasks where video_id = $1::uuid and kind = 'compose'", [videoId])).rows;
    // Out of index order, so "the last" means the last to finish, not the highest index.
    await t.db.query("update tasks set run_at = run_at + (3 - scene_index) * interval '1 second' where kind = 'render'");
    const later = new Date(Date.now() + 60_000);
    for (let done = 1; done <= 4; done++) {
      const p = await processOne({ ...d, now: () => later }, { invocationId: `render-${done}` });
      expect(p).toMatchObject({ step: 'render', sceneIndex: 4 - done, outcome: 'completed' });
      expect(await composeTasks(), `after ${done} of 4 scenes`).toEqual(done < 4 ? [] : [{ status: 'ready' }]);
    }
  });
});
