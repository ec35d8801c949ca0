// Shared setup for the serve tests: one private video and one public poster in a fresh store,
// with a clock the tests can move.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { beforeEach, expect } from 'vitest';
import { LocalStorage } from '@/lib/storage/local';
import { serveStoredObject } from '@/lib/api/files';
import { contractChecker } from '../helpers/contract';
import { TEST_SECRET, useTempDirs } from './temp-dir';

export const PRIVATE_KEY = 'videos/v1/final.mp4';
export const PUBLIC_KEY = 'videos/v1/poster.jpg';
export const video = randomBytes(1000);
export const poster = randomBytes(300);

export const state = { clock: new Date(0), storage: null as unknown as LocalStorage };

/** Call at the top level of a test file: registers the per-test store. */
export function useServeFixture(): void {
  const tempDir = useTempDirs();
  beforeEach(async () => {
    state.clock = new Date('2030-01-01T00:00:00Z');
    const root = path.join(await tempDir(), 'storage');
    state.storage = new LocalStorage({ root, secret: TEST_SECRET, now: () => state.clock });
    await state.storage.put(PRIVATE_KEY, video, { contentType: 'video/mp4', access: 'private' });
    await state.storage.put(PUBLIC_KEY, poster, { contentType: 'image/jpeg', access: 'public' });
  });
}

/** Serves as GET /api/files/[...key] does; GET and HEAD answers are checked against the OpenAPI document. */
export async function serve(url: string, key: string, init: RequestInit = {}): Promise<Response> {
  const req = new Request(new URL(url, 'http://localhost'), init);
  const res = await serveStoredObject(req, key, {
    storage: state.storage,
    secret: TEST_SECRET,
    now: () => state.clock,
  });
  // Other methods, and an empty key, never reach this code in the app: Next.js answers them itself.
  if ((req.method === 'GET' || req.method === 'HEAD') && key !== '') {
    const problems = await contractChecker().check(req.method, `/api/files/${encodeURIComponent(key)}`, res.clone());
    if (problems.length > 0) throw new Error(`The answer breaks the OpenAPI document:\n${problems.join('\n')}`);
  }
  return res;
}

export async function bytes(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

export async function expectError(res: Response, status: number, code: string): Promise<{ code: string; message: string }> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  return body.error;
}

