// Memory while rendering: one 4-scene 1080p video on the local provider (real ffmpeg), rendered by the
// in-process scheduler of a `next start` server, with VmRSS of the server process and of its ffmpeg
// children sampled every 100 ms. The finished video's files then serve as real storage objects for the
// status fixtures, so the status route signs URLs of objects that exist.
import pg from 'pg';
import type { ServerProcess } from '@/tests/helpers/server';
import { sleep } from '../lib/app';
import { ownerCookie } from './load';
import { startRssSampler, type RssPeaks, type RssSample } from './proc';

export interface RenderedAssets {
  videoId: string;
  cookie: string;
  videoKey: string | null;
  posterKey: string | null;
  captionsKey: string | null;
  durationMs: number | null;
  scenes: Array<{ narration: string; visualPrompt: string; durationMs: number | null; clipKey: string | null }>;
}

export interface RenderResult {
  status: string;
  wallMs: number;
  sceneCount: number;
  resolution: string;
  concurrency: string;
  /** Server VmRSS once ready, before the request. */
  idleServerMb: number;
  peaks: RssPeaks;
  /** Every 10th sample, to keep the JSON readable. */
  series: RssSample[];
  assets: RenderedAssets | null;
}

async function readAssets(databaseUrl: string, videoId: string, cookie: string): Promise<RenderedAssets> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const v = (await c.query<{ video_key: string | null; poster_key: string | null; captions_key: string | null; duration_ms: number | null }>(
      'select video_key, poster_key, captions_key, duration_ms from videos where id = $1::uuid', [videoId])).rows[0];
    const s = await c.query<{ narration: string; visual_prompt: string; duration_ms: number | null; clip_key: string | null }>(
      'select narration, visual_prompt, duration_ms, clip_key from scenes where video_id = $1::uuid order by index', [videoId]);
    return {
      videoId, cookie,
      videoKey: v?.video_key ?? null, posterKey: v?.poster_key ?? null, captionsKey: v?.captions_key ?? null,
      durationMs: v?.duration_ms ?? null,
      scenes: s.rows.map((r) => ({ narration: r.narration, visualPrompt: r.visual_prompt, durationMs: r.duration_ms, clipKey: r.clip_key })),
    };
  } finally {
    await c.end();
  }
}

export async function renderAndSample(
  server: ServerProcess,
  opts: { databaseUrl: string; sceneCount: number; maxMs: number; concurrency: string },
): Promise<RenderResult> {
  const sampler = startRssSampler(server.pid, 100);
  let sampled: ReturnType<typeof sampler.stop> | undefined;
  let created: { id?: string } = {};
  let cookie: string | undefined;
  let status = 'queued';
  let wallMs = 0;
  let size = '';
  const deadline = Date.now() + opts.maxMs;
  try {
    await sleep(500);
    const t0 = performance.now();
    const res = await fetch(`${server.baseUrl}/api/video/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'How volcanoes work', sceneCount: opts.sceneCount, resolution: '1080p', aspectRatio: '16:9', provider: 'local' }),
    });
    created = (await res.json()) as { id?: string };
    cookie = ownerCookie(res.headers);
    if (res.status !== 202 || !created.id || !cookie) throw new Error(`POST /api/video/generate answered ${res.status}: ${JSON.stringify(created)}`);
    // Polls like the status page would, bounded by maxMs.
    while (!['completed', 'failed', 'cancelled'].includes(status) && Date.now() < deadline) {
      await sleep(500);
      const s = await fetch(`${server.baseUrl}/api/video/status/${created.id}`, { headers: { cookie } });
      const v = (await s.json()) as { status?: string; width?: number; height?: number };
      status = v.status ?? `http ${s.status}`;
      if (v.width && v.height) size = `${v.width}×${v.height}`;
    }
    wallMs = performance.now() - t0;
    await sleep(300); // the last ffmpeg exits and the scheduler goes idle
  } finally {
    sampled = sampler.stop();
  }
  const { peaks, series } = sampled;
  return {
    status: Date.now() >= deadline && status !== 'completed' ? `${status} (timed out)` : status,
    wallMs,
    sceneCount: opts.sceneCount,
    resolution: size ? `1080p (${size})` : '1080p',
    concurrency: opts.concurrency,
    idleServerMb: series[0]?.serverMb ?? 0,
    peaks,
    series: series.filter((_, i) => i % 10 === 0),
    assets: status === 'completed' && created.id && cookie ? await readAssets(opts.databaseUrl, created.id, cookie) : null,
  };
}
