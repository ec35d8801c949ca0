// One PostgreSQL server for the whole run (pg-server.ts: TEST_DATABASE_URL's, or an embedded one started
// here and stopped in the teardown). Its URL reaches every test worker through vitest's provide/inject
// (adminUrl() in pg-url.ts). If TEST_DATABASE_URL's server cannot be reached the run fails here; it never skips.
import type { TestProject } from 'vitest/node';
import { acquireTestServer } from './pg-server';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await acquireTestServer();
  console.log(`Test database server: ${server.description}`);
  project.provide('testDatabaseUrl', server.url);
  return () => server.stop();
}
