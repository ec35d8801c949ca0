// RunwayML motion: animates a scene's still with gen4_turbo, then lays the narration (and any
// captions) over the clip. A Runway job takes minutes, longer than one invocation may run, so
// animate() never waits: it starts the job, checkpoints its id, and reports 'pending'; later
// attempts look once and either report 'pending' again or finish. A crash or retry therefore
// never pays for a second job once one has been created and checkpointed.
import fs from 'node:fs/promises';
import { StepError } from '@/lib/steps/errors';
import type { Checkpoint, MotionInput, MotionProvider, MotionResult } from '@/lib/providers/types';
import type { RunwayClient } from './client';
import { createDownloader, readImageAsDataUri, type DownloadFn, type ReadImageFn } from './files';
import { RunwayHttpError } from './http-errors';
import { clipDuration, forgetJob, readSavedJob, type SavedJob } from './job';
import type { MuxFn, MuxSpec } from './mux';
import { failureError } from './outcomes';
import { runwayRatioFor } from './ratios';
import { runwayModel, type RunwayTask } from './schemas';

export interface RunwayMotionOptions {
  client: RunwayClient;
  mux: MuxFn;
  readImageAsDataUri?: ReadImageFn;
  download?: DownloadFn;
  now?: () => number;
  /** How long the step waits before looking at a running job again. */
  pollMs?: number;
  /** A job older than this is cancelled and started afresh; Runway normally needs a few minutes. */
  maxWaitMs?: number;
}

// Runway rejects longer prompts outright; a shortened prompt beats a failed video.
const MAX_PROMPT_CHARS = 1000;

export function createRunwayMotion(opts: RunwayMotionOptions): MotionProvider {
  const { client, mux } = opts;
  const readImage = opts.readImageAsDataUri ?? readImageAsDataUri;
  const download = opts.download ?? createDownloader();
  const now = opts.now ?? Date.now;
  const maxWaitMs = opts.maxWaitMs ?? 15 * 60_000;
  const pending = (): MotionResult => ({ status: 'pending', checkAfterMs: opts.pollMs ?? 5_000 });
  const scene = (input: MotionInput) => `scene ${input.scene.sceneIndex + 1}`;

  async function start(input: MotionInput, signal: AbortSignal, checkpoint: Checkpoint): Promise<MotionResult> {
    const duration = clipDuration(input.audioDurationMs);
    const promptText = input.scene.visualPrompt.trim().slice(0, MAX_PROMPT_CHARS) || undefined;
    const promptImage = await readImage(input.imagePath);
    const ratio = runwayRatioFor[input.scene.aspectRatio];
    const { id } = await client.createImageToVideo({ model: runwayModel, promptImage, promptText, ratio, duration }, signal);
    // Nothing may run between the job existing and its id being saved: this is what stops a retry paying twice.
    await checkpoint.save<SavedJob>({ taskId: id, createdAt: now(), duration });
    return pending();
  }

  async function look(job: SavedJob, input: MotionInput, signal: AbortSignal, checkpoint: Checkpoint): Promise<RunwayTask> {
    try {
      return await client.getTask(job.taskId, signal);
    } catch (err) {
      if (!(err instanceof RunwayHttpError && err.httpStatus === 404)) throw err;
      // Runway dropped the job (expired or deleted): polling it again can never succeed.
      await forgetJob(checkpoint);
      throw new StepError('provider_failed', `Runway no longer has the job for ${scene(input)}; the next attempt starts a new one.`, { cause: err });
    }
  }

  async function giveUp(job: SavedJob, input: MotionInput, signal: AbortSignal, checkpoint: Checkpoint): Promise<never> {
    // Cancel before forgetting: forgetting first and then crashing would leave the job running unseen.
    try {
      await client.cancelTask(job.taskId, signal);
    } catch (err) {
      if (signal.aborted) throw err;
    }
    await forgetJob(checkpoint);
    const minutes = Math.round(maxWaitMs / 60_000);
    throw new StepError('provider_timeout', `Runway did not finish ${scene(input)} within ${minutes} minutes; the next attempt starts a new job.`);
  }

  async function finish(task: RunwayTask, job: SavedJob, input: MotionInput, signal: AbortSignal, checkpoint: Checkpoint): Promise<MotionResult> {
    const url = task.output?.[0];
    if (!url) {
      await forgetJob(checkpoint);
      throw new StepError('provider_failed', `Runway finished ${scene(input)} without a clip; the next attempt starts a new job.`);
    }
    // Next to outPath so it lands on the same disk; removed whatever happens.
    const clipPath = `${input.outPath}.runway.mp4`;
    try {
      await download(url, clipPath, signal);
      const { scene: s, audioPath, audioDurationMs, burnCaptions, outPath } = input;
      const spec: MuxSpec = { videoPath: clipPath, audioPath, durationMs: audioDurationMs, width: s.width, height: s.height, captions: burnCaptions, outPath };
      const { durationMs } = await mux(spec, { signal });
      const quantity = job.duration ?? clipDuration(audioDurationMs);
      return { status: 'done', durationMs, usage: [{ item: 'runway_seconds', quantity, model: runwayModel }] };
    } finally {
      await fs.rm(clipPath, { force: true });
    }
  }

  return {
    name: 'runway',
    async cancelRemote(saved) {
      const taskId = (saved as Partial<SavedJob>).taskId;
      // Best effort: a job we fail to cancel still finishes and is simply never downloaded.
      if (taskId) await client.cancelTask(taskId, AbortSignal.timeout(10_000)).catch(() => {});
    },
    async animate(input, { signal, checkpoint }) {
      signal.throwIfAborted();
      const job = readSavedJob(checkpoint);
      if (!job) return start(input, signal, checkpoint);
      const task = await look(job, input, signal, checkpoint);
      switch (task.status) {
        case 'PENDING':
        case 'THROTTLED':
        case 'RUNNING':
          if (job.createdAt !== undefined && now() - job.createdAt > maxWaitMs) return giveUp(job, input, signal, checkpoint);
          return pending();
        case 'SUCCEEDED':
          return finish(task, job, input, signal, checkpoint);
        case 'FAILED':
          // Over either way; forgetting it lets even a manual retry start afresh.
          await forgetJob(checkpoint);
          throw failureError(task, scene(input));
        case 'CANCELLED':
          await forgetJob(checkpoint);
          throw new StepError('provider_cancelled', `Runway cancelled the job for ${scene(input)}; the next attempt starts a new one.`);
      }
    },
  };
}

export { createRunwayClient, RUNWAY_BASE_URL, type RunwayClient, type RunwayClientOptions } from './client';
export type { MuxFn, MuxSpec } from './mux';
export { runwayRatioFor, runwayRatios, type RunwayRatio } from './ratios';
