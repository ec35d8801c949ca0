// Cancellation: a queued video is never claimed; a running step is aborted within one heartbeat,
// its ffmpeg is killed, and nothing completes afterwards.
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { stepHandlers } from '@/lib/pipeline';
import { loadConfig } from '@/lib/config';
import { createProviders } from '@/lib/providers';
import { processOne } from '@/lib/pipeline/worker';
import { LocalStorage } from '@/lib/storage/local';
import { cancelVideo } from '@/lib/videos/control';
import { useQueueDatabase, type TestDatabase } from '../helpers/db';
import { deps, seedVideos } from '../helpers/queue';
import { waitFor } from '../helpers/wait';

const storage = new LocalStorage({ root: path.join(os.tmpdir(), `cueframe-cancel-${process.pid}`), secret: 'x'.repeat(32) });
const database = useQueueDatabase();
let t: TestDatabase;
beforeEach(() => {
  t = database();
});

describe('cancellation', () => {
  it('a queued video is never claimed afterwards', async () => {
    const [id] = await seedVideos(t.db, 1);
    const r = await cancelVideo(t.db, 'owner-a', id!, new Date());
    expect(r).toMatchObject({ status: 'cancelled', stoppedTasks: 1 });
    expect(await processOne(deps(t.db, storage), { invocationId: 'w' })).toBeNull();
    const tasks = await t.db.query('select status from tasks');
    expect(tasks.rows).toEqual([{ status: 'cancelled' }]);
    await expect(cancelVideo(t.db, 'owner-a', id!, new Date())).rejects.toMatchObject({ code: 'conflict' });
    await expect(cancelVideo(t.db, 'owner-b', id!, new Date())).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a running render stops within one heartbeat: ffmpeg is killed and no completion is written', async () => {
    const [id] = await seedVideos(t.db, 1, { sceneCount: 1 });
    const real = createProviders(loadConfig({}));
    // A long 1080p scene (a narration of a dozen sentences speaks for about 45 s), so the render is
    // certainly still running, speaking or animating, when the cancel lands.
    const narration = Array.from({ length: 12 }, (_, i) => `Sentence ${i + 1} of a long scene keeps the narrator talking for a while.`).join(' ');
    const content = { ...real.content('local'), plan: async () => ({ scenes: [{ narration, visualPrompt: 'p', durationMs: 60_000 }], usage: [] }) };
    const providers = { content: () => content, motion: (n: string) => real.motion(n) };
    await t.db.query("update videos set resolution = '1080p'");
    const d = deps(t.db, storage, { providers, handlers: stepHandlers, heartbeatMs: 200, leaseMs: 5_000 });
    expect((await processOne(d, { invocationId: 'planner' }))?.step).toBe('plan');

    const started = Date.now();
    const running = processOne(d, { invocationId: 'renderer' });
    await waitFor(async () => (await t.db.query("select 1 from task_events where type = 'step_started' and invocation_id = 'renderer'")).rowCount > 0);
    // And past its first write: a cancel that lands between the step's start and its 'rendering' update can
    // be overwritten by that update (its guard reads the task as running), which this test is not about.
    await waitFor(async () => (await t.db.query("select 1 from scenes where status = 'rendering'")).rowCount > 0);
    const cancelledAt = Date.now();
    await cancelVideo(t.db, 'owner-a', id!, new Date());
    const result = await running;
    const stoppedAfter = Date.now() - cancelledAt;

    expect(result).toMatchObject({ step: 'render', outcome: 'cancelled' });
    // One heartbeat (200 ms) plus ffmpeg's exit; a full 60 s 1080p render would take far longer.
    expect(stoppedAfter).toBeLessThan(2_000);
    expect(Date.now() - started).toBeLessThan(15_000);
    const events = await t.db.query<{ type: string }>("select type from task_events where task_id = (select id from tasks where kind = 'render') order by id");
    expect(events.rows.map((e) => e.type)).not.toContain('completed');
    expect(events.rows.map((e) => e.type)).not.toContain('step_finished');
    const v = await t.db.query('select status from videos');
    expect(v.rows).toEqual([{ status: 'cancelled' }]);
    const scene = await t.db.query('select status, clip_key from scenes');
    expect(scene.rows).toEqual([{ status: 'pending', clip_key: null }]);
    expect(await storage.head(`videos/${id}/scenes/0.mp4`)).toBeNull();
  });
});
