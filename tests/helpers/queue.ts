// Queue test kit: fake steps that do no media work, and readers for the event log.
import fs from 'node:fs/promises';
import type { Db, Queryable } from '@/lib/db/types';
import type { StepHandler } from '@/lib/pipeline/context';
import { stepHandlers } from '@/lib/pipeline';
import { defaultBackoff } from '@/lib/queue/backoff';
import type { ClaimInput } from '@/lib/queue/claim';
import { taskKinds, type TaskKind } from '@/lib/pipeline/workflow';
import type { KindPolicy } from '@/lib/queue/registry';
import type { WorkerDeps } from '@/lib/pipeline/worker';
import os from 'node:os';
import path from 'node:path';
import { toneAudio } from '@/lib/media/tone';
import type { Providers } from '@/lib/providers';
import type { MotionProvider, VideoProvider } from '@/lib/providers/types';
import { createVideo } from '@/lib/videos/create';
import { settleCompleted } from '@/lib/videos/outcome';
import type { Storage } from '@/lib/storage/types';

export const noopStep: StepHandler = async () => async () => {};

/** Compose without ffmpeg: finishes the video as the real step would, with no media. */
export const fakeCompose: StepHandler = async (task) => async (tx, now) => {
  const done = await tx.query(
    `update videos set status = 'completed', progress = 100, completed_at = $2::timestamptz, updated_at = $2::timestamptz
     where id = $1::uuid and status in ('rendering', 'composing')`,
    [task.video_id, now],
  );
  if (done.rowCount === 1) await settleCompleted(tx, task.video_id, now, 3);
};

export const noopHandlers = Object.fromEntries(taskKinds.map((k) => [k, noopStep])) as Record<TaskKind, StepHandler>;

/** A real one-second AAC file, made once per test process: the render step measures narration with ffprobe. */
let audioFixture: Promise<string> | undefined;
export function fixtureAudio(): Promise<string> {
  audioFixture ??= (async () => {
    const out = path.join(os.tmpdir(), `cueframe-fixture-${process.pid}.m4a`);
    await toneAudio({ durationMs: 1000, seed: 0, outPath: out });
    return out;
  })();
  return audioFixture;
}

/** Content that plans short scenes, and "media" that is a few bytes: the real steps without paid calls or ffmpeg renders. */
export function fakeContent(): VideoProvider {
  return {
    name: 'local',
    async plan(req) {
      const scenes = Array.from({ length: req.sceneCount }, (_, i) => ({
        narration: `Scene ${i + 1} about ${req.topic}.`,
        visualPrompt: `prompt ${i}`,
        durationMs: 1000,
      }));
      return { scenes, usage: [{ item: 'llm_input_tokens', quantity: 100, model: 'gpt-4o-mini' }] };
    },
    async sceneImage(_scene, outPath) {
      await fs.writeFile(outPath, 'png');
      return { usage: [{ item: 'images', quantity: 1, model: 'gpt-image-1:1536x1024:medium' }] };
    },
    async narration(_scene, outPath) {
      await fs.copyFile(await fixtureAudio(), outPath);
      return { durationMs: 1000, usage: [] };
    },
  };
}

export function fakeMotion(): MotionProvider {
  return {
    name: 'kenburns',
    async animate(input) {
      await fs.writeFile(input.outPath, `clip ${input.scene.sceneIndex}`);
      return { status: 'done', durationMs: input.audioDurationMs, usage: [] };
    },
  };
}

/** Every provider name maps to the given fakes. */
export function fakeProviders(o: { content?: Partial<VideoProvider>; motion?: Partial<MotionProvider> } = {}): Providers {
  const content = { ...fakeContent(), ...o.content };
  const motion = { ...fakeMotion(), ...o.motion };
  return { content: () => content, motion: () => motion };
}

/** Every declared kind: three attempts, one second. */
export const testPolicies = Object.fromEntries(taskKinds.map((k) => [k, { maxAttempts: 3, estimateMs: 1_000 }])) as Record<TaskKind, KindPolicy>;

/** A claim with no caps and every kind allowed. */
export function claimInput(invocationId: string, now: Date, leaseMs: number): ClaimInput {
  return { invocationId, now, leaseMs, kinds: taskKinds, maxRunning: 0, ownerMaxRunning: 0 };
}

export function deps(db: Db, storage: Storage, overrides: Partial<WorkerDeps> = {}): WorkerDeps {
  return {
    db,
    storage,
    providers: fakeProviders(),
    handlers: stepHandlers,
    now: () => new Date(),
    leaseMs: 30_000,
    heartbeatMs: 10_000,
    backoff: defaultBackoff,
    policies: testPolicies,
    maxRunning: 0,
    ownerMaxRunning: 0,
    ...overrides,
  };
}

export async function seedVideos(db: Db, n: number, opts: { ownerId?: string; sceneCount?: number } = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = await createVideo(db, {
      ownerId: opts.ownerId ?? 'owner-a',
      request: {
        topic: `Topic ${i}`, sceneCount: opts.sceneCount ?? 2, aspectRatio: '16:9', resolution: '720p',
        provider: 'local', motion: 'kenburns', voice: 'alloy', burnCaptions: false,
        language: 'en', music: 'none', musicVolume: 0, review: false,
      },
      maxAttempts: 3,
      now: new Date(),
    });
    ids.push(v.id);
  }
  return ids;
}

/** The owners in the claim's rotation (queue_owners), sorted. */
export async function rotationOwners(q: Queryable): Promise<string[]> {
  return (await q.query<{ owner_id: string }>('select owner_id from queue_owners order by owner_id')).rows.map((r) => r.owner_id);
}

export async function eventCounts(q: Queryable): Promise<Map<string, Record<string, number>>> {
  const r = await q.query<{ task_id: string; type: string; n: number }>(
    'select task_id, type, count(*)::int as n from task_events where task_id is not null group by task_id, type',
  );
  const byTask = new Map<string, Record<string, number>>();
  for (const row of r.rows) {
    const entry = byTask.get(row.task_id) ?? {};
    entry[row.type] = row.n;
    byTask.set(row.task_id, entry);
  }
  return byTask;
}
