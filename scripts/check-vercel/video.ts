// One video through three isolated bundles: generate accepts it, the worker runs every task, the
// status route reports it, and the MP4 on disk decodes in full.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IsolatedServer } from './isolated';
import { measureSpeech } from '../../tests/helpers/speech-measure';
import { run } from './run';

export interface VideoRun {
  generate: IsolatedServer;
  worker: IsolatedServer;
  status: IsolatedServer;
  dataDir: string;
  cronSecret: string;
  /** The project's ffmpeg, used only to inspect the result. */
  ffmpeg: string;
  log: (line: string) => void;
}

export interface VideoResult {
  failures: string[];
  videoId?: string;
}

// Each worker call runs one task: a 2-scene video is plan + 2 renders + compose. A failing step is
// retried with backoff (2, 4, 8, 16 s by default) before it is dead, and the calls in between find
// nothing ready, so the bounds leave room for that without letting a stuck queue spin for long.
const MAX_WORKER_CALLS = 150;
const MAX_WORKER_MS = 6 * 60_000;
// Only when the queue has nothing ready (a retry waiting out its backoff) is there a pause.
const IDLE_POLL_MS = 1000;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

interface StatusBody {
  status?: string;
  progress?: number;
  stepLabel?: string;
  error?: { code: string; message: string } | null;
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function renderOneVideo(r: VideoRun): Promise<VideoResult> {
  const failures: string[] = [];
  const gen = await fetch(`${r.generate.url}/api/video/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ topic: 'How volcanoes work', sceneCount: 2 }),
  });
  const genBody = (await readJson(gen)) as { id?: string };
  if (gen.status !== 202 || typeof genBody.id !== 'string') {
    return { failures: [`generate answered ${gen.status}, not 202 with an id: ${JSON.stringify(genBody).slice(0, 400)}`] };
  }
  const videoId = genBody.id;
  // The owner cookie makes the status call the same owner; only name=value goes back.
  const cookie = gen.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (!cookie) failures.push('generate set no owner cookie');
  r.log(`generate: 202, video ${videoId}`);

  const status = async (): Promise<{ code: number; body: StatusBody }> => {
    const res = await fetch(`${r.status.url}/api/video/status/${videoId}`, { headers: { cookie } });
    return { code: res.status, body: (await readJson(res)) as StatusBody };
  };

  const started = Date.now();
  let last: { code: number; body: StatusBody } | undefined;
  let calls = 0;
  let idle = 0;
  for (; calls < MAX_WORKER_CALLS && Date.now() - started < MAX_WORKER_MS; calls++) {
    const res = await fetch(`${r.worker.url}/api/video/process-queue`, { headers: { authorization: `Bearer ${r.cronSecret}` } });
    const body = (await readJson(res)) as { processed?: { step?: string; sceneIndex?: number | null; outcome?: string; ms?: number } | null };
    if (res.status !== 200) {
      failures.push(`worker call ${calls + 1} answered ${res.status}: ${JSON.stringify(body).slice(0, 400)}`);
      break;
    }
    const p = body.processed;
    last = await status();
    if (p) {
      if (idle) r.log(`  … ${idle} calls found nothing ready (a retry waiting out its backoff)`);
      idle = 0;
      const scene = p.sceneIndex === null || p.sceneIndex === undefined ? '' : ` ${p.sceneIndex}`;
      r.log(`worker call ${calls + 1}: ${p.step}${scene} ${p.outcome} in ${p.ms} ms -> ${last.body.status} ${last.body.progress ?? ''}%`);
    } else idle++;
    if (last.code !== 200 || TERMINAL.has(last.body.status ?? '')) break;
    if (!p) await sleep(IDLE_POLL_MS);
  }
  if (idle) r.log(`  … ${idle} calls found nothing ready`);

  last ??= await status();
  if (last.code !== 200) failures.push(`status answered ${last.code}: ${JSON.stringify(last.body).slice(0, 400)}`);
  else if (last.body.status !== 'completed') {
    const why = last.body.error ? `: ${last.body.error.code}: ${last.body.error.message}` : '';
    const bound = TERMINAL.has(last.body.status ?? '') ? '' : ` after ${calls} worker calls in ${Math.round((Date.now() - started) / 1000)} s`;
    failures.push(`the video is "${last.body.status}", not "completed"${bound}${why}`);
  }
  if (failures.length) return { failures, videoId };

  failures.push(...(await checkMp4(r, videoId)));
  return { failures, videoId };
}

/** The final MP4 under local storage (videos/<id>/<name>.mp4) must decode fully with audio and video. */
async function checkMp4(r: VideoRun, videoId: string): Promise<string[]> {
  const dir = path.join(r.dataDir, 'storage', 'videos', videoId);
  const mp4s = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.mp4'));
  if (mp4s.length !== 1) return [`expected one MP4 in ${dir}, found ${mp4s.length}`];
  const file = path.join(dir, mp4s[0]);
  const failures: string[] = [];
  const decode = await run(r.ffmpeg, ['-v', 'error', '-i', file, '-f', 'null', '-']);
  if (decode.code !== 0 || decode.stderr.trim()) failures.push(`${mp4s[0]} does not decode cleanly (exit ${decode.code}): ${decode.stderr.trim().slice(0, 400)}`);
  // `ffmpeg -i` with no output prints the container's streams and duration, then exits 1 by design.
  const info = (await run(r.ffmpeg, ['-hide_banner', '-i', file])).stderr;
  const d = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(info);
  const seconds = d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : 0;
  if (!/Stream #\S+.*: Video:/.test(info)) failures.push(`${mp4s[0]} has no video stream`);
  if (!/Stream #\S+.*: Audio:/.test(info)) failures.push(`${mp4s[0]} has no audio stream`);
  if (!(seconds > 1)) failures.push(`${mp4s[0]} lasts ${seconds} s, not more than 1 s`);
  // The local provider narrates with the speech engine the worker bundle carries: the audio must be a voice.
  const speech = await measureSpeech(file, 0, undefined, r.ffmpeg);
  const scores = `syllable-rate share ${speech.syllableShare.toFixed(2)}, depth ${speech.depth.toFixed(2)}, pauses ${speech.pauseShare.toFixed(2)}`;
  if (!speech.isSpeech) failures.push(`${mp4s[0]}'s audio is not speech (${scores}): the worker bundle did not narrate`);
  if (!failures.length) r.log(`MP4 ${mp4s[0]}: decodes cleanly, video + spoken audio (${scores}), ${seconds.toFixed(2)} s`);
  return failures;
}
