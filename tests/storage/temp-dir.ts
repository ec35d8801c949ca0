// Each test gets its own directory under the OS temp dir, removed afterwards even when the test fails.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

export function useTempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-storage-'));
    made.push(dir);
    return dir;
  };
}

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';
