import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommand, runCommand } from '@/lib/media/ffmpeg';
import { probe } from '@/lib/media/probe';
import { renderTextClip } from '@/lib/media/render-clip';
import { makeTmpDir, trickyBody } from './fixtures';

let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
beforeAll(async () => {
  tmp = await makeTmpDir('cueframe-abort-test-');
});
afterAll(async () => {
  await tmp.cleanup();
});

const longSpec = (outPath: string) => ({
  title: 'A long scene', body: trickyBody, durationSec: 20, width: 1920, height: 1080, seed: 2, outPath,
});

describe('aborting a render', () => {
  it('kills ffmpeg once it is encoding and rejects with AbortError long before the render could finish', async () => {
    const controller = new AbortController();
    let startedAt = 0;
    let abortedAt = 0;
    const t0 = Date.now();
    const out = path.join(tmp.dir, 'long.mp4');
    const render = renderTextClip(longSpec(out), {
      signal: controller.signal,
      onStart: () => {
        startedAt = Date.now();
      },
      // Abort on real evidence of encoding rather than a sleep, so the test is deterministic on slow machines.
      onProgress: () => {
        if (abortedAt) return;
        abortedAt = Date.now();
        controller.abort();
      },
    });
    const err = await render.then(() => undefined, (e: unknown) => e as Error);
    const rejectedAt = Date.now();

    expect(err).toBeInstanceOf(Error);
    expect(err?.name).toBe('AbortError');
    expect(startedAt).toBeGreaterThan(0);
    expect(abortedAt).toBeGreaterThanOrEqual(startedAt);
    // The full 600 frames of 1080p take ~7 s on two cores even with nothing else running; a killed process returns at once.
    expect(rejectedAt - abortedAt).toBeLessThan(2000);
    expect(rejectedAt - t0).toBeLessThan(4000);
    // The process really died mid-encode: faststart never got to write the index, so the file is unreadable.
    await expect(probe(out)).rejects.toThrow();
  });

  it('never starts ffmpeg when the signal is already aborted', async () => {
    const out = path.join(tmp.dir, 'never.mp4');
    let started = false;
    const err = await renderTextClip(longSpec(out), { signal: AbortSignal.abort(), onStart: () => { started = true; } })
      .then(() => undefined, (e: unknown) => e as Error);
    expect(err?.name).toBe('AbortError');
    expect(started).toBe(false);
    expect(existsSync(out)).toBe(false);
  });
});

describe('runCommand', () => {
  it('never spawns for an already-aborted signal', async () => {
    let started = false;
    const cmd = createCommand().input('color=c=black:s=64x64:d=1').inputFormat('lavfi').output(path.join(tmp.dir, 'x.mp4'));
    cmd.on('start', () => { started = true; });
    await expect(runCommand(cmd, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    expect(started).toBe(false);
  });

  it('includes the tail of ffmpeg’s stderr in failures', async () => {
    const cmd = createCommand()
      .input('color=c=black:s=64x64:d=1').inputFormat('lavfi')
      .complexFilter('[0:v]nosuchfilter=1[v]', ['v'])
      .output(path.join(tmp.dir, 'bad.mp4'));
    await expect(runCommand(cmd)).rejects.toThrow(/ffmpeg stderr[\s\S]*nosuchfilter/);
  });
});
