import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Quiet by default; LOG_LEVEL=info npx vitest … brings the logs back. The variable reaches child
    // processes (the CLI and server tests); the setup file hands it to lib/log in each test file.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' },
    setupFiles: ['tests/helpers/log-level.ts'],
  },
});
