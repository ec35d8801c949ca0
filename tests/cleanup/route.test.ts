// GET /api/cleanup as Vercel Cron calls it, on a test app with a real database and local store.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET } from '@/app/api/cleanup/route';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call } from '../helpers/http';
import { allKeys, DAY, insertVideo, listKeys, putVideoFiles } from './seed';

let t: TestDatabase;
let app: TestApp | undefined;
let tmp: string | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await app?.cleanup();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  await t.db.query('truncate videos, tasks cascade');
});

describe('GET /api/cleanup', () => {
  it('requires the cron secret, then cleans and answers the report', async () => {
    app = await createTestApp(t.db, { env: { CRON_SECRET: 's3cret-value-0123456', CLEANUP_INTERMEDIATES_DAYS: '3' } });
    // The route sweeps os.tmpdir(): point it at a private dir so the test never touches the machine's.
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'cleanup-route-'));
    vi.stubEnv('TMPDIR', tmp);
    const old = await insertVideo(t.db, { status: 'completed', at: new Date(Date.now() - 4 * DAY) });
    await putVideoFiles(app.storage, old);

    const refused = await call(GET, { url: '/api/cleanup' });
    expect(refused.status).toBe(401);
    expect(await listKeys(app.storage)).toHaveLength(9);

    const res = await call(GET, { url: '/api/cleanup', headers: { authorization: 'Bearer s3cret-value-0123456' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toMatchObject({ removed: { intermediates: 6, orphans: 0, tempFiles: 0, staleUploads: 0 }, bytesFreed: 60, skippedActive: 0 });
    expect(await listKeys(app.storage)).toEqual(allKeys(old).finals.sort());
  });

  it('answers 503 for a bad setting instead of cleaning with it', async () => {
    app = await createTestApp(t.db, { env: { CLEANUP_TEMP_HOURS: '0' } });
    const res = await call(GET, { url: '/api/cleanup' });
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('misconfigured');
  });
});
