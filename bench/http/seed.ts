// The videos the status benchmark polls: created through POST /api/video/generate (10 owners × 5, so a
// per-owner cap on active videos never gets in the way), then moved by SQL into the states a poller sees
// during a render. Rendered scenes and finished videos point at the storage objects of the video the
// render phase made, so the route signs URLs of objects that exist, as it does in production.
import pg from 'pg';
import { ownerCookie } from './load';
import type { RenderedAssets } from './render';

export interface StatusTarget {
  id: string;
  cookie: string;
  state: string;
}

const FALLBACK_NARRATION =
  'Deep below the surface, rock melts into magma that is lighter than the solid rock around it, so it rises slowly ' +
  'and gathers in chambers a few kilometres down.';

/** Mix by i % 5: 0 queued (no scenes yet), 1–3 rendering with i % 5 of 4 scenes rendered, 4 completed. */
function stateFor(i: number): { status: string; rendered: number } {
  const k = i % 5;
  if (k === 0) return { status: 'queued', rendered: 0 };
  if (k === 4) return { status: 'completed', rendered: 4 };
  return { status: 'rendering', rendered: k };
}

export async function seedStatusVideos(
  baseUrl: string,
  databaseUrl: string,
  assets: RenderedAssets | null,
  opts: { owners: number; perOwner: number },
): Promise<StatusTarget[]> {
  const targets: StatusTarget[] = [];
  for (let o = 0; o < opts.owners; o++) {
    let cookie: string | undefined;
    for (let v = 0; v < opts.perOwner; v++) {
      const res = await fetch(`${baseUrl}/api/video/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ topic: `Status seed ${o}.${v}: how volcanoes work`, sceneCount: 4 }),
      });
      const body = (await res.json()) as { id?: string };
      cookie ??= ownerCookie(res.headers);
      if (res.status !== 202 || !body.id || !cookie) throw new Error(`seeding: POST answered ${res.status}: ${JSON.stringify(body)}`);
      targets.push({ id: body.id, cookie, state: '' });
    }
  }

  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query('begin');
    for (const [i, t] of targets.entries()) {
      const { status, rendered } = stateFor(i);
      t.state = status === 'rendering' ? `rendering ${rendered}/4` : status;
      if (status === 'queued') continue;
      const done = status === 'completed';
      await c.query(
        `update videos set status = $2::text, progress = $3::int, step_label = $4::text, current_scene = $5::int,
                started_at = now() - interval '1 minute', updated_at = now(),
                completed_at = case when $6::boolean then now() end,
                duration_ms = case when $6::boolean then $7::int end,
                video_key = case when $6::boolean then $8::text end,
                poster_key = case when $6::boolean then $9::text end,
                captions_key = case when $6::boolean then $10::text end
         where id = $1::uuid`,
        [t.id, status, done ? 100 : 10 + rendered * 20, done ? 'Done' : `Rendering scenes: ${rendered} of 4 done`,
         done ? null : rendered, done, assets?.durationMs ?? 60_000, assets?.videoKey ?? null, assets?.posterKey ?? null,
         assets?.captionsKey ?? null],
      );
      for (let s = 0; s < 4; s++) {
        const src = assets?.scenes[s];
        const sceneStatus = s < rendered ? 'rendered' : s === rendered ? 'rendering' : 'pending';
        await c.query(
          `insert into scenes (video_id, index, narration, visual_prompt, duration_ms, status, clip_key)
           values ($1::uuid, $2::int, $3::text, $4::text, $5::int, $6::text, $7::text)`,
          [t.id, s, src?.narration ?? FALLBACK_NARRATION, src?.visualPrompt ?? 'A cross-section of a volcano, glowing magma chamber',
           sceneStatus === 'rendered' ? (src?.durationMs ?? 15_000) : null, sceneStatus,
           sceneStatus === 'rendered' ? (src?.clipKey ?? null) : null],
        );
      }
    }
    await c.query('commit');
    await c.query('vacuum analyze videos, scenes');
  } finally {
    await c.end();
  }
  return targets;
}
