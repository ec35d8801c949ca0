// A page takes a POST only as a Server Action (the Generate form without JavaScript). proxy.ts refuses
// one from another site with the API's 403 JSON error, before Next.js's own check would fail it with a
// bare 500; a same-site post goes on to the page with the owner's identity.
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { proxy } from '@/proxy';

const post = (headers: Record<string, string>) =>
  proxy(new NextRequest('http://localhost:3000/', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x', ...headers } }));

describe('a form posted to a page', () => {
  it('from another site: 403 with the JSON error, not passed on', async () => {
    const hostile: Record<string, string>[] = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }];
    for (const headers of hostile) {
      const res = post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.headers.get('x-middleware-next')).toBeNull();
      expect((await res.json()).error.code).toBe('forbidden');
    }
  });

  it('from this site: passed on to the page', () => {
    const res = post({ origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' });
    expect(res.headers.get('x-middleware-next')).toBe('1');
  });

  it('a page read is never refused, whatever its origin', () => {
    const res = proxy(new NextRequest('http://localhost:3000/', { headers: { 'sec-fetch-site': 'cross-site' } }));
    expect(res.headers.get('x-middleware-next')).toBe('1');
  });
});
