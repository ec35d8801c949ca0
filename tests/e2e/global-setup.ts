// The browser tests need the test PostgreSQL server only with E2E_DATABASE=postgres; the PGlite run must
// not start or depend on one. Same server choice as the unit suite (TEST_DATABASE_URL, or embedded).
import type { TestProject } from 'vitest/node';
import setupTestServer from '../helpers/global-setup';
import { e2eDatabase } from './database';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  if (e2eDatabase() === 'postgres') return setupTestServer(project);
}
