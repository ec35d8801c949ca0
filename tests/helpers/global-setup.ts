// One PostgreSQL server for the whole run (pg-server.ts: TEST_DATABASE_URL's, or an embedded one started
// here and stopped in the teardown). Its URL reaches every test worker through vitest's provide/inject
// (adminUrl() in pg-url.ts). If TEST_DATABASE_URL's server cannot be reached the run fails here; it never skips.
import { availableParallelism } from 'node:os';
import type { TestProject } from 'vitest/node';
import { acquireTestServer } from './pg-server';

/**
 * Connections an embedded server must admit. Files run in parallel, one per worker, and the busiest
 * file held 40 client connections at once (pools of its own plus `next start` servers; sampled over a
 * whole run with one worker). 50 per worker leaves headroom, and never fewer than PostgreSQL's 100.
 */
function connectionsFor(project: TestProject): number {
  // Unset means vitest's default for `vitest run`: one worker per CPU but one.
  const workers = project.config.maxWorkers || Math.max(availableParallelism() - 1, 1);
  return Math.max(100, 50 * workers);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await acquireTestServer({ maxConnections: connectionsFor(project) });
  console.log(`Test database server: ${server.description}`);
  project.provide('testDatabaseUrl', server.url);
  return () => server.stop();
}
