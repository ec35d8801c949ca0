// Two `next start` processes on one PostgreSQL and one DATA_DIR drain the same queue: every task runs
// exactly once, both processes do work, and they work at the same time.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '@/lib/media/probe';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { ensureBuild, groupMembers, killAllServers, startServer, waitFor, type ServerProcess } from '../helpers/server';
import { countByTask, eventsOf, generate, status, tasksOf, videoStatuses } from './kit';

const CONCURRENCY = 2;
const VIDEOS = 4;
const SCENES = 3;

let t: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  await ensureBuild();
  t = await createTestDatabase();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-scale-'));
}, 300_000);

afterAll(async () => {
  await killAllServers();
  await t?.drop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

describe('several next start processes on one database', () => {
  it('share the work: each task claimed and completed exactly once, by both processes at once', async () => {
    const env = { SIGNING_SECRET: 'process-test-secret-0123456789', QUEUE_CONCURRENCY: String(CONCURRENCY) };
    const servers: ServerProcess[] = await Promise.all(
      ['server-a', 'server-b'].map((name) => startServer({ databaseUrl: t.url!, dataDir, env: { ...env, INSTANCE_ID: name } })),
    );
    const [a, b] = servers as [ServerProcess, ServerProcess];

    // Alternate between the servers, one owner each; each request wakes the scheduler of the server it hit.
    const videos: Array<{ id: string; cookie: string; via: ServerProcess; index: number }> = [];
    const cookies = new Map<ServerProcess, string>();
    for (let i = 0; i < VIDEOS; i++) {
      const via = i % 2 === 0 ? a : b;
      const v = await generate(via.baseUrl, { topic: `Scale-out topic ${i}`, sceneCount: SCENES, resolution: '720p' }, cookies.get(via));
      cookies.set(via, v.cookie);
      videos.push({ ...v, via, index: i });
    }
    const ids = videos.map((v) => v.id);

    // While they run, sample how many tasks are running at once (each process runs at most CONCURRENCY)
    // and which servers have ffmpeg children at work.
    let maxRunning = 0;
    const mediaWork = new Map<ServerProcess, number>(servers.map((s) => [s, 0]));
    const final = await waitFor(async () => {
      const r = await t.db.query<{ n: number }>(
        `select count(*)::int as n from tasks where video_id = any($1::uuid[]) and status = 'running'`, [ids],
      );
      maxRunning = Math.max(maxRunning, r.rows[0]!.n);
      for (const s of servers) {
        if (groupMembers(s.pid).some((p) => p.pid !== s.pid && /ffmpeg|ffprobe/.test(p.cmd))) mediaWork.set(s, mediaWork.get(s)! + 1);
      }
      const statuses = await videoStatuses(t.db, ids);
      return ids.every((id) => ['completed', 'failed', 'cancelled'].includes(statuses.get(id) ?? '')) ? statuses : undefined;
    }, { timeoutMs: 120_000, intervalMs: 100, message: () => `all videos to finish; logs:\n${a.logs()}\n${b.logs()}` });
    expect([...final.values()]).toEqual(ids.map(() => 'completed'));

    const tasks = await tasksOf(t.db, ids);
    const events = await eventsOf(t.db, ids);
    const counts = countByTask(events);
    expect(tasks).toHaveLength(VIDEOS * (SCENES + 2));
    for (const task of tasks) {
      expect(task.status, `task ${task.id}`).toBe('done');
      expect(counts.get(task.id), `events of task ${task.id}`).toMatchObject({ claimed: 1, step_started: 1, completed: 1 });
    }
    expect(events.filter((e) => ['failed', 'retried', 'lease_expired', 'lease_lost'].includes(e.type))).toEqual([]);
    // One task per invocation, and each completion came from the invocation that claimed it.
    const claimers = events.filter((e) => e.type === 'claimed').map((e) => e.invocation_id);
    expect(new Set(claimers).size).toBe(tasks.length);
    for (const task of tasks) {
      const mine = events.filter((e) => e.task_id === task.id);
      expect(mine.find((e) => e.type === 'completed')!.invocation_id).toBe(mine.find((e) => e.type === 'claimed')!.invocation_id);
    }

    // Invocation ids name their process: both claimed tasks.
    const byServer = (name: string) => claimers.filter((id) => id?.split(':')[1] === name).length;
    expect(byServer('server-a') + byServer('server-b')).toBe(tasks.length);
    expect(byServer('server-a')).toBeGreaterThan(0);
    expect(byServer('server-b')).toBeGreaterThan(0);

    // Both processes did media work, and more tasks ran at once than one process is allowed to run.
    expect(mediaWork.get(a), 'samples with ffmpeg running under server A').toBeGreaterThan(0);
    expect(mediaWork.get(b), 'samples with ffmpeg running under server B').toBeGreaterThan(0);
    expect(maxRunning).toBeGreaterThan(CONCURRENCY);
    expect(maxRunning).toBeLessThanOrEqual(CONCURRENCY * servers.length);

    // Either server serves every video to its owner, and each final MP4 in the shared storage plays.
    for (const v of videos) {
      const other = v.via === a ? b : a;
      const s = await status(other.baseUrl, v.id, v.cookie);
      expect(s.code).toBe(200);
      expect(s.body).toMatchObject({ status: 'completed', progress: 100 });
      const dir = path.join(dataDir, 'storage', 'videos', v.id);
      const mp4 = `scale-out-topic-${v.index}.mp4`;
      expect((await fs.readdir(dir)).filter((f) => f.includes('.mp4')).sort()).toEqual([mp4, `${mp4}.meta.json`]);
      const p = await probe(path.join(dir, mp4));
      expect(p.streams.filter((x) => x.type === 'video')).toEqual([expect.objectContaining({ codec: 'h264', width: 1280, height: 720 })]);
      expect(p.streams.filter((x) => x.type === 'audio')).toEqual([expect.objectContaining({ codec: 'aac' })]);
      expect(p.durationMs).toBeGreaterThan(0);
    }

    await Promise.all(servers.map((s) => s.stop()));
    console.info(`[scale-out] most tasks running at once: ${maxRunning}; samples with ffmpeg under A: ${mediaWork.get(a)}, under B: ${mediaWork.get(b)}`);
  }, 180_000);
});
