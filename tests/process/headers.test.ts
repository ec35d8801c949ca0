// What a browser sees from a real `next start`: the owner cookie issued by proxy.ts and the security headers.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { ensureBuild, killAllServers, startServer, type ServerProcess } from '../helpers/server';

let t: TestDatabase;
let dataDir: string;
let server: ServerProcess;

beforeAll(async () => {
  await ensureBuild();
  t = await createTestDatabase();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-headers-'));
  server = await startServer({ databaseUrl: t.url!, dataDir, env: { SIGNING_SECRET: 'headers-test-secret-0123456789' } });
}, 240_000);
afterAll(async () => {
  await killAllServers();
  await t?.drop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('next start', () => {
  it('issues a signed httpOnly SameSite=Lax owner cookie on the first page view, once', async () => {
    const first = await fetch(`${server.baseUrl}/`);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^cf_owner=anon_[0-9a-f-]{36}\.[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+/);
    // A response that sets a cookie is that visitor's alone, though the home page itself is static.
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    const value = cookie.split(';')[0]!;
    const again = await fetch(`${server.baseUrl}/`, { headers: { cookie: value } });
    expect(again.headers.get('set-cookie')).toBeNull();
    // The identity from the proxy is the one the API sees on the very first request.
    const firstApi = await fetch(`${server.baseUrl}/api/videos`);
    const issued = (firstApi.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(firstApi.headers.get('cache-control')).toBe('private, no-store');
    const forged = await fetch(`${server.baseUrl}/api/videos`, { headers: { cookie: issued.replace(/\.[\w-]+$/, '.AAAA') } });
    expect(forged.headers.get('set-cookie')).toMatch(/^cf_owner=anon_/);
    expect(forged.headers.get('set-cookie')).not.toContain(issued.split('=')[1]);
  });

  it('answers a malformed %-escape anywhere in a path with 404 and the security headers, never a 500', async () => {
    const api = ['/api/video/status/%FF', '/api/files/%FF', '/api/video/%FF/cancel', '/api/video/status/%E0%A4%A'];
    for (const p of api) {
      const res = await fetch(`${server.baseUrl}${p}`, { method: p.endsWith('cancel') ? 'POST' : 'GET' });
      expect(res.status, p).toBe(404);
      expect((await res.json()).error.code, p).toBe('not_found');
      // /api/files gets the document policy (a stored file may open in a tab), the JSON routes the API one.
      const csp = p.startsWith('/api/files/') ? /^default-src 'self';.*frame-ancestors 'none'/ : /^default-src 'none'; frame-ancestors 'none'$/;
      expect(res.headers.get('content-security-policy'), p).toMatch(csp);
      expect(res.headers.get('set-cookie'), p).toBeNull();
    }
    const page = await fetch(`${server.baseUrl}/videos/%FF`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    // A well-formed escape in an API path still reaches the route, and the proxy issues no cookie there.
    const fine = await fetch(`${server.baseUrl}/api/video/status/ab%20c`);
    expect(fine.status).toBe(404);
    expect((await fine.json()).error.code).toBe('not_found');
  });

  it('sends the security headers on pages and API routes', async () => {
    const documents = ['/', '/videos/00000000-0000-4000-8000-000000000000', '/api/files/videos/nope.mp4'];
    for (const p of [...documents, '/api/videos', '/api/health', '/api/filesx']) {
      const res = await fetch(`${server.baseUrl}${p}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, p).toContain("frame-ancestors 'none'");
      if (documents.includes(p)) {
        expect(csp, p).toContain("default-src 'self'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).not.toContain('unsafe-eval');
      } else {
        // JSON: nothing may load from it or frame it.
        expect(csp, p).toBe("default-src 'none'; frame-ancestors 'none'");
      }
      expect(res.headers.get('x-content-type-options'), p).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), p).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });
});
