// npm run generate -- "topic" [--scenes N] [--aspect 9:16] [--resolution 1080p] [--description "..."]
//   [--provider openai] [--motion runway] [--voice nova] [--captions] [--out FILE [--force]]
//   [--server URL [--token cf_…]]; --help lists them.
// Drives the same queue and pipeline as the server, in this process, with a terminal progress bar; with
// --server, a remote server does the work through its API (scripts/generate-remote.ts).
import path from 'node:path';
import { createApp } from '@/lib/app';
import { loadConfig } from '@/lib/config';
import { parseWith } from '@/lib/api/body';
import { isAppError } from '@/lib/errors';
import { isLocalStorage } from '@/lib/storage/local';
import { generateVideoRequestSchema } from '@/lib/schemas/video';
import { createVideo } from '@/lib/videos/create';
import { resolveRequest } from '@/lib/videos/resolve';
import { terminalStatuses, type VideoStatus } from '@/lib/videos/types';
import { parseCli, requestFields, usage, type CliValues } from './generate-args';
import { renderRemote, RemoteRefused } from './generate-remote';
import { checkOutFile, OutFileRefused, writeOutFile } from './output-file';
import { progressLine } from './progress-line';

interface Row {
  status: VideoStatus;
  progress: number;
  step_label: string;
  video_key: string | null;
  error_message: string | null;
}

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  if (cli.kind === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  if (cli.kind === 'error') {
    process.stderr.write(`Error: ${cli.message}\n\n${usage()}`);
    return 2;
  }
  if (cli.values.server !== undefined) {
    return renderRemote(cli.topic, cli.values, { server: cli.values.server, token: cli.values.token ?? (process.env.CUEFRAME_TOKEN || undefined) });
  }
  return render(cli.topic, cli.values);
}

async function render(topic: string, values: CliValues): Promise<number> {
  const parsed = parseWith(generateVideoRequestSchema, requestFields(topic, values));
  const force = values.force === true;
  if (values.out !== undefined) await checkOutFile(values.out, force);
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
    if (values.out !== undefined) {
      const key = v.video_key;
      const written = await writeOutFile(values.out, force, (tmp) => app.storage.download(key, tmp));
      console.log(`Done: ${written}`);
      return 0;
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
    // Refusals of what was asked (bad arguments, a taken --out name) exit 2 with one line; a server's
    // refusal exits 1 with its message; bugs show the trace.
    if (err instanceof RemoteRefused) {
      console.error(`Error: ${err.message}`);
      process.exit(1);
    }
    const refused = isAppError(err) || err instanceof OutFileRefused;
    console.error(refused ? `Error: ${err.message}` : err);
    process.exit(refused ? 2 : 1);
  },
);
