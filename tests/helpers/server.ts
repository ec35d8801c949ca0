// Real `next start` processes for process-level tests: a production build made at most once per source
// change, servers spawned in their own process group (so a kill takes their ffmpeg children with them),
// and a bounded poller to wait on conditions instead of sleeping.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive } from '@/lib/pid';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NEXT_BIN = path.join(ROOT, 'node_modules/next/dist/bin/next');
const BUILD_ID = path.join(ROOT, '.next/BUILD_ID');
/** Written by this helper: which sources (by newest mtime) the build saw, and which test run uses it. */
const BUILD_STAMP = path.join(ROOT, '.next/cueframe-test-build.json');
const LOCK = path.join(ROOT, '.next-build.lock');
const SOURCES = ['app', 'lib', 'components', 'db', 'instrumentation.ts', 'proxy.ts', 'next.config.ts', 'package.json', 'tsconfig.json'];

/** Polls fn until it returns a truthy value (which is returned) or the deadline passes (which throws). */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  opts: { timeoutMs: number; intervalMs?: number; message?: string | (() => string); fatal?: () => string | undefined },
): Promise<NonNullable<T>> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  for (;;) {
    // A condition that can no longer come true (say, the process we wait on has exited) fails at once.
    const fatal = opts.fatal?.();
    if (fatal) throw new Error(`gave up waiting for ${typeof opts.message === 'function' ? opts.message() : opts.message ?? 'condition'}: ${fatal}`);
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const msg = typeof opts.message === 'function' ? opts.message() : opts.message;
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${msg ?? 'condition'}${cause}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}

async function newestMtime(p: string): Promise<number> {
  let st: fs.Stats;
  try {
    st = await fsp.stat(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file changes its directory's mtime
  for (const entry of await fsp.readdir(p)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, await newestMtime(path.join(p, entry)));
  }
  return newest;
}

async function sourcesMtime(): Promise<number> {
  const all = await Promise.all(SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
  return Math.max(...all);
}

interface BuildStamp {
  buildId: string;
  /** The newest source mtime when that build started: an edit made while it ran counts as newer. */
  sourcesMtime: number;
  /** The vitest run that last settled on this build. */
  runner?: string;
}

/**
 * Identifies this vitest run: workers are forks of the vitest main process, so they share its pid
 * (its start time guards against pid reuse).
 */
function runnerId(): string {
  try {
    const stat = fs.readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    return `${process.ppid}:${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`;
  } catch {
    return String(process.ppid);
  }
}

async function readStamp(): Promise<BuildStamp | undefined> {
  try {
    return JSON.parse(await fsp.readFile(BUILD_STAMP, 'utf8')) as BuildStamp;
  } catch {
    return undefined; // a build made by someone else, or none
  }
}

/**
 * Whether .next is a build of the current sources. Once a run has settled on a build, later test
 * files of the same run keep it even if sources change meanwhile: rebuilding .next would pull it out
 * from under servers that other files of the run may still have running.
 */
async function buildIsFresh(): Promise<boolean> {
  let buildId: string;
  let builtAt: number;
  try {
    buildId = (await fsp.readFile(BUILD_ID, 'utf8')).trim();
    builtAt = (await fsp.stat(BUILD_ID)).mtimeMs;
  } catch {
    return false;
  }
  const stamp = await readStamp();
  const ours = stamp?.buildId === buildId ? stamp : undefined;
  if (ours?.runner === runnerId()) return true;
  const newest = await sourcesMtime();
  const fresh = newest <= (ours ? ours.sourcesMtime : builtAt);
  if (fresh) await fsp.writeFile(BUILD_STAMP, JSON.stringify({ buildId, sourcesMtime: ours?.sourcesMtime ?? builtAt, runner: runnerId() }));
  return fresh;
}

/** Removes the lock if the process that holds it is gone (a test run killed mid-build). */
async function clearStaleLock(): Promise<void> {
  try {
    const pid = Number((await fsp.readFile(LOCK, 'utf8')).trim());
    if (pid > 0 && !isAlive(pid)) await fsp.rm(LOCK, { force: true });
  } catch {
    /* gone already, or being written: look again next time */
  }
}

let building: ChildProcess | undefined;

function runBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT_BIN, 'build'], {
      cwd: ROOT,
      env: serverBaseEnv() as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    building = child;
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      building = undefined;
      if (code === 0) resolve();
      else reject(new Error(`next build failed (${signal ?? `exit ${code}`}):\n${out.slice(-6000)}`));
    });
  });
}

/**
 * Makes sure .next holds a production build of the current sources. Only one test worker builds;
 * the others wait for its lock file to disappear and then look again.
 */
export async function ensureBuild(opts: { timeoutMs?: number } = {}): Promise<{ built: boolean; ms: number }> {
  const started = Date.now();
  const deadline = started + (opts.timeoutMs ?? 300_000);
  for (;;) {
    if (await buildIsFresh()) return { built: false, ms: Date.now() - started };
    let handle: fsp.FileHandle | undefined;
    try {
      handle = await fsp.open(LOCK, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (handle) {
      try {
        await handle.writeFile(String(process.pid));
        await handle.close();
        // Someone may have finished a build between our check and taking the lock.
        if (await buildIsFresh()) return { built: false, ms: Date.now() - started };
        const seen = await sourcesMtime();
        await runBuild();
        const buildId = (await fsp.readFile(BUILD_ID, 'utf8')).trim();
        const stamp: BuildStamp = { buildId, sourcesMtime: seen, runner: runnerId() };
        await fsp.writeFile(BUILD_STAMP, JSON.stringify(stamp));
        return { built: true, ms: Date.now() - started };
      } finally {
        await fsp.rm(LOCK, { force: true });
      }
    }
    // Another worker is building: wait for its lock to go, then check again.
    await waitFor(
      async () => {
        await clearStaleLock();
        return !fs.existsSync(LOCK);
      },
      { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 250, message: `${LOCK} to be released` },
    );
  }
}

/** The environment a server or build inherits: this process's, minus what vitest and Vercel would change. */
function serverBaseEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VITEST') || k.startsWith('VERCEL') || k === 'NODE_OPTIONS') continue;
    if (['POSTGRES_URL', 'DATABASE_URL', 'APP_URL', 'CRON_SECRET', 'SIGNING_SECRET', 'DATA_DIR'].includes(k)) continue;
    env[k] = v;
  }
  env.NODE_ENV = 'production';
  env.NEXT_TELEMETRY_DISABLED = '1';
  return env;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  pid: number;
  port: number;
  baseUrl: string;
  /** Signals the whole process group: the server and every ffmpeg it started. */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL if it has not exited within the timeout. Resolves once it has exited. */
  stop(timeoutMs?: number): Promise<void>;
  /** Resolves when the server process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  logs(): string;
  /** Parsed JSON log lines (the app logs one JSON object per line). */
  jsonLogs(): Array<Record<string, unknown>>;
}

const live = new Set<ChildProcess>();
/** Every server group this worker started: a server that exited may have left children in it. */
const groups = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

// Last resort if a test file dies without its afterAll: never leave servers (or their ffmpeg) behind.
process.once('exit', () => {
  for (const pgid of groups) killGroup(pgid, 'SIGKILL');
  building?.kill('SIGKILL');
});

/** Kills every server this worker started, and anything left in their process groups. For afterAll. */
export async function killAllServers(): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const c of live) {
    if (!c.pid) continue;
    waits.push(new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r))));
  }
  for (const pgid of groups) killGroup(pgid, 'SIGKILL');
  groups.clear();
  await Promise.all(waits);
}

export async function startServer(opts: {
  databaseUrl: string;
  dataDir: string;
  port?: number;
  env?: Record<string, string>;
  /** Flags for node itself, ahead of the script (V8 flags that NODE_OPTIONS does not accept). */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const tmp = path.join(opts.dataDir, 'tmp');
  await fsp.mkdir(tmp, { recursive: true });
  const env: Record<string, string | undefined> = {
    ...serverBaseEnv(),
    DATABASE_URL: opts.databaseUrl,
    DATA_DIR: opts.dataDir,
    // Work dirs of killed tasks stay inside the test's own directory, which afterAll removes.
    TMPDIR: tmp,
    SCHEDULER: 'on',
    LOG_LEVEL: 'info',
    LEASE_MS: '3000',
    HEARTBEAT_MS: '1000',
    SCHEDULER_POLL_MS: '500',
    QUEUE_CONCURRENCY: '2',
    // Process tests, e2e journeys and the HTTP benches send many requests from one address; a test
    // of the limits turns them back on in its env.
    ANON_GRANTS_PER_IP_PER_DAY: '0',
    RATE_LIMIT_GENERATE_PER_MINUTE: '0',
    RATE_LIMIT_ESTIMATE_PER_MINUTE: '0',
    RATE_LIMIT_ADMIN_LOGIN_PER_15_MINUTES: '0',
    ...opts.env,
  };
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    detached: true, // its own process group, so kill(-pid) reaches ffmpeg children too
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const pid = child.pid!;
  groups.add(pid);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      // An empty group is forgotten, so its id (free for reuse from now on) is never signalled again.
      if (groupMembers(pid).length === 0) groups.delete(pid);
      resolve({ code, signal });
    });
  });
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const baseUrl = `http://127.0.0.1:${port}`;
  const jsonLogs = () =>
    out.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });

  const server: ServerProcess = {
    pid,
    port,
    baseUrl,
    exited,
    kill: (signal) => killGroup(pid, signal),
    async stop(timeoutMs = 5_000) {
      if (hasExited) return killGroup(pid, 'SIGKILL'); // anything left in its group
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
      killGroup(pid, 'SIGKILL'); // any ffmpeg the server left behind in its group
    },
    logs: () => out,
    jsonLogs,
  };

  try {
    await waitFor(
      async () => {
        const res = await fetch(`${baseUrl}/api/videos`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        // Ready means routes answer and instrumentation started the app (scheduler included).
        return res.status === 200 && jsonLogs().some((l) => l.msg === 'cueframe ready');
      },
      { timeoutMs: opts.readyTimeoutMs ?? 30_000, intervalMs: 100, message: `server on port ${port} to be ready`,
        fatal: () => (hasExited ? 'the server exited' : undefined) },
    );
  } catch (err) {
    killGroup(pid, 'SIGKILL');
    await exited;
    throw new Error(`${(err as Error).message}\n--- server logs ---\n${out}`);
  }
  return server;
}

/** Pids in a process group (Linux /proc): a killed server's group must be empty, with no ffmpeg left. */
export function groupMembers(pgid: number): Array<{ pid: number; ppid: number; cmd: string }> {
  return processTable().filter((p) => p.pgid === pgid);
}

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  cmd: string;
}

/** A snapshot of the process table read from /proc. */
export function processTable(): ProcInfo[] {
  const rows: ProcInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses; the fixed fields follow the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const state = fields[0];
      if (state === 'Z' || state === 'X') continue; // exited, only waiting to be reaped
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      rows.push({ pid: Number(entry), ppid: Number(fields[1]), pgid: Number(fields[2]), cmd });
    } catch {
      /* the process ended while we looked */
    }
  }
  return rows;
}
