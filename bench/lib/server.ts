// A production `next start` for benches: built first when the sources are newer than .next, started
// in its own process group on a free port, and stopped with everything it spawned.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NEXT_BIN = path.join(ROOT, 'node_modules/next/dist/bin/next');
const SOURCES = ['app', 'lib', 'components', 'db', 'instrumentation.ts', 'proxy.ts', 'next.config.ts', 'package.json'];

function newest(p: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  return fs.readdirSync(p).reduce((m, e) => (e.startsWith('.') || e === 'node_modules' ? m : Math.max(m, newest(path.join(p, e)))), st.mtimeMs);
}

/** Server and build environment: this process's, without anything that would point the app elsewhere. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VERCEL') || k === 'NODE_OPTIONS' || ['POSTGRES_URL', 'DATABASE_URL', 'APP_URL', 'DATA_DIR'].includes(k)) continue;
    env[k] = v;
  }
  return { ...env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
}

/** Runs `next build` when any source is newer than the last build. */
/**
 * A server for measuring routes at their maximum throughput: no scheduler draining the queue, quiet logs,
 * and no limit, cap or balance that a flood of requests from one address would trip.
 */
export const HTTP_BENCH_ENV: Record<string, string> = {
  SCHEDULER: 'off',
  LOG_LEVEL: 'error',
  SIGNING_SECRET: 'bench-signing-secret-0123456789',
  MAX_ACTIVE_VIDEOS: '0',
  STARTING_CREDITS: '1000000000',
  RATE_LIMIT_GENERATE_PER_MINUTE: '0',
  RATE_LIMIT_ESTIMATE_PER_MINUTE: '0',
  ANON_GRANTS_PER_IP_PER_DAY: '0',
};

export function ensureBuild(): void {
  const id = path.join(ROOT, '.next/BUILD_ID');
  const builtAt = fs.existsSync(id) ? fs.statSync(id).mtimeMs : 0;
  if (builtAt >= Math.max(...SOURCES.map((s) => newest(path.join(ROOT, s))))) return;
  console.error('[bench] sources changed since the last build: next build…');
  execFileSync(process.execPath, [NEXT_BIN, 'build'], { cwd: ROOT, env: baseEnv(), stdio: ['ignore', 'ignore', 'inherit'] });
}

/** A port nothing listens on now, for a child server to take. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface BenchServer {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts `next start` with `env` on top of the base environment and waits until /api/health answers. */
export async function startServer(env: Record<string, string>): Promise<BenchServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...baseEnv(), ...env },
    detached: true, // its own process group, so one signal reaches anything it spawned
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const pid = child.pid!;
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* already gone */
    }
  };
  process.once('exit', () => kill('SIGKILL'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${stderr}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      kill('SIGKILL');
      throw new Error(`next start did not answer within 60 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    pid,
    async stop() {
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
