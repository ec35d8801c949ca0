// `npm run generate -- … --server URL --token cf_…` against the app's real route handlers over HTTP, on
// PostgreSQL, with the in-process scheduler rendering on the local engine: the CLI posts through the typed
// client, follows the status route, and downloads the MP4 to --out; the video belongs to the token's owner.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as FILES from '@/app/api/files/[...key]/route';
import * as GENERATE from '@/app/api/video/generate/route';
import * as STATUS from '@/app/api/video/status/[id]/route';
import { createApp, setApp, type App } from '@/lib/app';
import { createToken } from '@/lib/auth/tokens';
import { loadConfig } from '@/lib/config';
import { probe } from '@/lib/media/probe';
import type { CallOptions, PlanRequest, VideoProvider } from '@/lib/providers/types';
import { StepError } from '@/lib/steps/errors';
import { LIMITS_OFF, TEST_SECRET } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startRouteServer, type RouteServer } from '../helpers/route-server';
import { ROOT } from '../helpers/server';

let t: TestDatabase;
let app: App;
let server: RouteServer;
let dataDir: string;
let work: string;
let token: string;
let ownerId: string;
const DOOMED = 'A topic the planner refuses';

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-cli-server-'));
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-cli-out-'));
  app = await createApp(loadConfig({
    DATABASE_URL: t.url!, DATA_DIR: dataDir, SIGNING_SECRET: TEST_SECRET, SCHEDULER: 'on', SCHEDULER_POLL_MS: '200', LOG_LEVEL: 'error', ...LIMITS_OFF,
  }));
  setApp(app);
  // One topic the planner refuses for good, so a video can fail on the server.
  const real = app.providers;
  app.providers = {
    ...real,
    content: (name) => Object.assign(Object.create(real.content(name)) as VideoProvider, {
      plan: (req: PlanRequest, opts: CallOptions) => (req.topic === DOOMED
        ? Promise.reject(new StepError('plan_refused', 'The planner refused this topic.', { permanent: true }))
        : real.content(name).plan(req, opts)),
    }),
  };
  ({ token, ownerId } = await createToken(app.db, { name: 'cli test', credits: 100, now: new Date() }));
  server = await startRouteServer({ '/api/video/generate': GENERATE, '/api/video/status/[id]': STATUS, '/api/files/[...key]': FILES });
});

afterAll(async () => {
  await server?.close();
  await app?.scheduler?.stop();
  await app?.db.close();
  setApp(null);
  await t?.drop();
  await Promise.all([dataDir, work].map((d) => d && fs.rm(d, { recursive: true, force: true })));
});

/** Runs the CLI in its own directory (where an MP4 without --out lands), with this checkout's tsx and tsconfig. */
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const base = { ...process.env };
    delete base.CUEFRAME_TOKEN;
    const tsx = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
    const child = spawn(process.execPath, ['--import', tsx, path.join(ROOT, 'scripts/generate.ts'), ...args], {
      cwd: work,
      env: { ...base, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json'), LOG_LEVEL: 'error', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const videosOf = async (owner: string) =>
  (await t.db.query<{ id: string; status: string }>('select id, status from videos where owner_id = $1::text', [owner])).rows;

describe('npm run generate -- --server URL', () => {
  it("makes the video on the server as the token's owner, shows its progress and downloads the MP4 to --out", async () => {
    const out = path.join(work, 'remote', 'airplanes.mp4');
    const r = await run(['Paper airplanes', '--scenes', '1', '--aspect', '9:16', '--server', server.url, '--token', token, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Where the first poll finds the video (queued, planning…) depends on the scheduler's timing; the
    // progress shown is the status route's own stage labels.
    expect(r.stdout).toMatch(/^\[[█░]+\]\s+\d+%\s+(Waiting in the queue|Writing the script|Rendering scenes)/);
    expect(r.stdout).toMatch(/\[█+\] 100%\s+Done/);
    expect(r.stdout).toContain(`Done: ${out}`);
    const p = await probe(out);
    expect(p.streams.find((s) => s.type === 'video')).toMatchObject({ width: 720, height: 1280 });
    expect(await fs.readdir(path.dirname(out))).toEqual(['airplanes.mp4']); // no partial left behind

    const mine = await videosOf(ownerId);
    expect(mine).toEqual([{ id: expect.any(String), status: 'completed' }]);
    expect(server.seen).toContain('POST /api/video/generate → 202');
    expect(server.seen.some((s) => /^GET \/api\/files\/videos\/.+ → 200$/.test(s))).toBe(true);
  });

  it('without a token, follows its video as the anonymous owner the server names, and saves it here by its topic', async () => {
    const r = await run(['Tides & moons!', '--scenes', '1', '--server', server.url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const where = /Done: (.+)\n/.exec(r.stdout)?.[1];
    expect(path.dirname(where!)).toBe(await fs.realpath(work));
    expect(path.basename(where!)).toMatch(/^tides-moons-[0-9a-f]{8}\.mp4$/);
    const p = await probe(where!);
    expect(p.streams.find((s) => s.type === 'video')).toMatchObject({ width: 1280, height: 720 });
    const owners = (await t.db.query<{ owner_id: string }>(`select owner_id from videos where topic = 'Tides & moons!'`)).rows;
    expect(owners).toHaveLength(1);
    expect(owners[0]!.owner_id).not.toBe(ownerId);
  });

  it('takes the token from CUEFRAME_TOKEN, and says a token is needed when the server refuses it (401), making nothing', async () => {
    const before = (await t.db.query('select count(*)::int as n from videos')).rows[0];
    const out = path.join(work, 'refused.mp4');
    const r = await run(['Paper airplanes', '--server', server.url, '--out', out], { CUEFRAME_TOKEN: 'cf_not-a-real-token' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Error: This API token is not valid (unknown or revoked). (HTTP 401, unauthorized)');
    expect(r.stderr).toContain('This server needs an API token: pass --token cf_… or set CUEFRAME_TOKEN');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await t.db.query('select count(*)::int as n from videos')).rows[0]).toEqual(before);
    await expect(fs.stat(out)).rejects.toThrow(/ENOENT/);
  });

  it("exits 1 with the API's message and field issues when it refuses the request (422)", async () => {
    const r = await run(['Paper airplanes', '--scenes', '99', '--server', server.url, '--token', token]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: The request is invalid: sceneCount: .+\(HTTP 422, validation_failed\)\n {2}sceneCount: /);
    expect((await videosOf(ownerId)).filter((v) => v.status === 'completed')).toHaveLength(1); // only the first test's
  });

  it("exits 1 with the video's error when it fails on the server, writing nothing", async () => {
    const out = path.join(work, 'doomed.mp4');
    const r = await run([DOOMED, '--scenes', '1', '--server', server.url, '--token', token, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: Video [0-9a-f-]{36} failed: The planner refused this topic\.\n$/);
    await expect(fs.stat(out)).rejects.toThrow(/ENOENT/);
  });

  it('says so when the server cannot be reached', async () => {
    const gone = await startRouteServer({});
    await gone.close();
    const r = await run(['Paper airplanes', '--server', gone.url, '--token', token]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Error: Could not reach ${gone.url}.`);
  });
});
