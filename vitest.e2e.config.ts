// Browser tests: a real Chromium (playwright-core, the system's /usr/bin/chromium) against `next build`
// + `next start` on the embedded defaults, or with E2E_DATABASE=postgres on a PostgreSQL server (the
// unit suite's: TEST_DATABASE_URL, or an embedded one that the global setup starts). One file at a time
// in a single fork: each file starts its own servers and a browser, and they share the machine with ffmpeg.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    // Starts or checks the PostgreSQL server only under E2E_DATABASE=postgres.
    globalSetup: ['tests/e2e/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    // A production build may be needed first (beforeAll), and videos render for real.
    testTimeout: 180_000,
    hookTimeout: 600_000,
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' },
    setupFiles: ['tests/helpers/log-level.ts'],
  },
});
