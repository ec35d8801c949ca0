// Rejected requests are logged (route and error code) without secrets: no tokens, cookies or bodies.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createTestApp, type TestApp } from '../helpers/app';

let t: TestDatabase;
let app: TestApp;
beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db, { env: { CRON_SECRET: 'cron-secret-value-0123456789' } });
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});

describe('logging of hostile requests', () => {
  it('logs each rejection with its route and code, and never the token, cookie, secret or body', async () => {
    vi.resetModules();
    (await import('@/lib/log')).setLogLevel('info');
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
    const out = vi.spyOn(console, 'log').mockImplementation(capture);
    const err = vi.spyOn(console, 'error').mockImplementation(capture);
    try {
      const { POST } = await import('@/app/api/video/generate/route');
      const { GET } = await import('@/app/api/video/process-queue/route');
      const { setApp } = await import('@/lib/app');
      setApp(app);
      const token = 'cf_super-secret-token-value-XYZ';
      const cookie = 'cf_owner=anon_forged.SIGNATURE-SECRET';
      const body = JSON.stringify({ topic: 'SECRET-BODY-TEXT', aspectRatio: '2:1' });
      const bad = await POST(new Request('http://localhost/api/video/generate', {
        method: 'POST', body, headers: { 'content-type': 'application/json', cookie } }), { params: Promise.resolve({}) });
      expect(bad.status).toBe(422);
      const unauth = await POST(new Request('http://localhost/api/video/generate', {
        method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }), { params: Promise.resolve({}) });
      expect(unauth.status).toBe(401);
      const cron = await GET(new Request('http://localhost/api/video/process-queue', { headers: { authorization: 'Bearer wrong-cron-secret-guess' } }));
      expect(cron.status).toBe(401);
      const all = lines.join('\n');
      expect(lines.filter((l) => l.includes('request rejected'))).toHaveLength(3);
      expect(all).toContain('validation_failed');
      expect(all).toContain('unauthorized');
      for (const secret of [token, 'SIGNATURE-SECRET', 'SECRET-BODY-TEXT', 'wrong-cron-secret-guess', 'cron-secret-value-0123456789']) {
        expect(all).not.toContain(secret);
      }
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
