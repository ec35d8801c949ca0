// Which PostgreSQL server the tests (and, unless BENCH_DATABASE_URL says otherwise, the benches) use:
// the one TEST_DATABASE_URL names, or else an embedded PostgreSQL started for this run. This is the only
// place that reads TEST_DATABASE_URL; tests get the chosen URL from adminUrl() (pg-url.ts).
import pg from 'pg';
import { startEmbeddedPostgres } from '@/scripts/embedded-pg';

export interface TestServer {
  /** A superuser URL; databases are created on this server. */
  url: string;
  /** Where it came from, for the run's log line. */
  description: string;
  /** Stops an embedded server and removes its data; nothing for a server named by TEST_DATABASE_URL. */
  stop(): Promise<void>;
}

/** The URL with its password hidden, for messages. */
export function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

async function checkReachable(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return (await client.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
  } catch (err) {
    // A server that was asked for and is not there fails the run, loudly; it never falls back or skips.
    throw new Error(`TEST_DATABASE_URL is set but PostgreSQL is not reachable at ${redact(url)}: ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function acquireTestServer(opts: { maxConnections?: number } = {}): Promise<TestServer> {
  const configured = process.env.TEST_DATABASE_URL;
  if (configured) {
    const version = await checkReachable(configured);
    return { url: configured, description: `PostgreSQL ${version} at ${redact(configured)} (TEST_DATABASE_URL)`, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({ maxConnections: opts.maxConnections });
  const port = new URL(server.url).port;
  return {
    url: server.url,
    description: `embedded PostgreSQL ${server.version} on 127.0.0.1:${port} (TEST_DATABASE_URL is unset)`,
    stop: server.stop,
  };
}
