// npm run generate -- "topic" [--scenes N] [--aspect 9:16] [--resolution 1080p] [--description "..."]
//   [--provider openai] [--motion runway] [--voice nova] [--captions]
// Drives the same queue and pipeline as the server, in this process, with a terminal progress bar.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '@/lib/app';
import { loadConfig } from '@/lib/config';
import { parseWith } from '@/lib/api/body';
import { isAppError } from '@/lib/errors';
import { isLocalStorage } from '@/lib/storage/local';
import { generateVideoRequestSchema } from '@/lib/schemas/video';
import { createVideo } from '@/lib/videos/create';
import { resolveRequest } from '@/lib/videos/resolve';
import { terminalStatuses, type VideoStatus } from '@/lib/videos/types';
import { progressLine } from './progress-line';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    scenes: { type: 'string' },
    aspect: { type: 'string' },
    resolution: { type: 'string' },
    description: { type: 'string' },
    provider: { type: 'string' },
    motion: { type: 'string' },
    voice: { type: 'string' },
    captions: { type: 'boolean' },
  },
});

interface Row {
  status: VideoStatus;
  progress: number;
  step_label: string;
  video_key: string | null;
  error_message: string | null;
}

async function main(): Promise<number> {
  const topic = positionals.join(' ');
  const parsed = parseWith(generateVideoRequestSchema, {
    topic,
    ...(values.description ? { description: values.description } : {}),
    ...(values.scenes ? { sceneCount: Number(values.scenes) } : {}),
    ...(values.aspect ? { aspectRatio: values.aspect } : {}),
    ...(values.resolution ? { resolution: values.resolution } : {}),
    ...(values.provider ? { provider: values.provider } : {}),
    ...(values.motion ? { motion: values.motion } : {}),
    ...(values.voice ? { voice: values.voice } : {}),
    ...(values.captions ? { burnCaptions: true } : {}),
  });
  // The in-process scheduler is the same machinery `npm run dev` uses: several loops, as several
  // invocations would, so scenes render in parallel.
  const app = await createApp({ ...loadConfig(), scheduler: true });
  try {
    const video = await createVideo(app.db, {
      ownerId: 'cli', request: resolveRequest(app.config, parsed), maxAttempts: app.policies.plan.maxAttempts, now: app.now(),
    });
    await app.kicker.kick(1);
    let last = '';
    let v: Row;
    for (;;) {
      v = (await app.db.query<Row>(
        'select status, progress, step_label, video_key, error_message from videos where id = $1::uuid', [video.id],
      )).rows[0]!;
      const line = progressLine(v.progress, v.step_label);
      if (line !== last) process.stdout.write(process.stdout.isTTY ? `\r${line}` : `${line}\n`);
      last = line;
      if (terminalStatuses.includes(v.status)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (process.stdout.isTTY) process.stdout.write('\n');
    if (v.status !== 'completed' || !v.video_key) {
      console.error(`Video ${video.id} ${v.status}: ${v.error_message ?? 'see the task log'}`);
      return 1;
    }
    const where = isLocalStorage(app.storage) ? path.join(app.storage.root, v.video_key) : await app.storage.url(v.video_key);
    console.log(`Done: ${where}`);
    return 0;
  } finally {
    await app.scheduler?.stop();
    await app.db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(isAppError(err) ? `Error: ${err.message}` : err);
    process.exit(isAppError(err) ? 2 : 1);
  },
);
