// Shared set-up for the Runway tests: the msw server, a checkpoint kept in memory the way the
// queue keeps it on the task, a scene on disk, and a stand-in for our own mux (injected, not mocked).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { MuxFn, MuxSpec } from '@/lib/providers/runway';
import type { Checkpoint, MotionInput } from '@/lib/providers/types';

export function useMswServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

export interface MemoryCheckpoint extends Checkpoint {
  data: object | null;
  /** Every record saved, in order. */
  saves: object[];
}

export function memoryCheckpoint(initial: object | null = null): MemoryCheckpoint {
  const cp: MemoryCheckpoint = {
    data: initial,
    saves: [],
    get: <T extends object>() => cp.data as T | null,
    async save(data) {
      // A copy, as a JSON column would keep it: later changes to the object must not leak in.
      cp.data = structuredClone(data);
      cp.saves.push(cp.data);
    },
  };
  return cp;
}

export function useTempDir(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-runway-'));
    made.push(dir);
    return dir;
  };
}

export const IMAGE_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

export async function sceneInput(dir: string, over: { scene?: Partial<MotionInput['scene']> } & Partial<Omit<MotionInput, 'scene'>> = {}): Promise<MotionInput> {
  const imagePath = path.join(dir, 'scene.png');
  await fs.writeFile(imagePath, IMAGE_BYTES);
  const { scene, ...rest } = over;
  return {
    scene: {
      videoId: 'video-1', topic: 'Tides', sceneIndex: 2, sceneCount: 4, narration: 'The moon pulls the sea.',
      visualPrompt: 'Slow waves rolling onto a moonlit beach', durationMs: 4200, aspectRatio: '16:9', width: 1280, height: 720, voice: 'nova',
      language: 'en', ...scene,
    },
    imagePath,
    audioPath: path.join(dir, 'narration.m4a'),
    audioDurationMs: 4200,
    burnCaptions: [{ text: 'The moon pulls the sea.', startMs: 0, endMs: 4200 }],
    outPath: path.join(dir, 'scene-3.mp4'),
    ...rest,
  };
}

export interface MuxCall {
  spec: MuxSpec;
  /** The clip's bytes when mux ran; the provider removes the file afterwards. */
  videoBytes: Buffer;
  signal?: AbortSignal;
}

/** Stands in for lib/media's muxWithAudio: writes the clip to outPath and reports the narration's length. */
export function muxStandIn(): MuxFn & { calls: MuxCall[] } {
  const calls: MuxCall[] = [];
  const mux = async (spec: MuxSpec, opts?: { signal?: AbortSignal }) => {
    const videoBytes = await fs.readFile(spec.videoPath);
    calls.push({ spec, videoBytes, signal: opts?.signal });
    await fs.writeFile(spec.outPath, videoBytes);
    return { durationMs: spec.durationMs };
  };
  return Object.assign(mux, { calls });
}

export async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(() => true, () => false);
}

/** A promise the test resolves by hand (Promise.withResolvers needs Node 22). */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
