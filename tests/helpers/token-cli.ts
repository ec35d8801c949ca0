// Runs `scripts/token.ts` (npm run token:*) as its own process against a test database, the way a person
// runs it, and collects what it prints.
import { spawn } from 'node:child_process';

export function runTokenCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], {
      // An inherited POSTGRES_URL would take precedence over the test's DATABASE_URL.
      env: { ...process.env, POSTGRES_URL: '', LOG_LEVEL: 'error', ...env },
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => resolve({ code, out }));
  });
}
