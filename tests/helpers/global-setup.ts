// Tests run against a real PostgreSQL. If it cannot be reached the run fails here, loudly; it never skips.
import pg from 'pg';
import { adminUrl } from './pg-url';

export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    throw new Error(
      `PostgreSQL is required for the test suite and is not reachable at ${adminUrl()} ` +
        `(set TEST_DATABASE_URL to point elsewhere): ${(err as Error).message}`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}
