// The guard's two halves on their own: URL shape, and the lookup the socket calls to connect.
import type { LookupAddress, LookupOptions } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { StepError } from '@/lib/steps/errors';
import { checkUrl, guardedLookup, type GuardOptions } from '@/lib/webhooks/ssrf';
import { fakeDns } from './receiver';

interface Answer {
  err: NodeJS.ErrnoException | null;
  address: string | LookupAddress[];
  family?: number;
}

function lookUp(opts: GuardOptions, host: string, options: LookupOptions = {}): Promise<Answer> {
  return new Promise((resolve) => guardedLookup(opts)(host, options, (err, address, family) => resolve({ err, address, family })));
}

describe('checkUrl', () => {
  it('returns the parsed URL for http and https on any port', () => {
    expect(checkUrl('https://hooks.example.com/cueframe?x=1').hostname).toBe('hooks.example.com');
    expect(checkUrl('http://hooks.example.com:8080/').port).toBe('8080');
  });

  it.each([
    ['ftp://x/', /http:\/\/ or https:\/\/, not ftp:/],
    ['file:///etc/passwd', /not file:/],
    ['javascript:alert(1)', /not javascript:/],
    ['http://user:pass@host/', /user name or password/],
    ['http://user@host/', /user name or password/],
    ['not a url', /not a valid URL/],
    ['http://metadata.google.internal/computeMetadata/v1/', /metadata service/],
    ['http://METADATA./', /metadata service/],
  ])('refuses %s permanently', (raw, message) => {
    let caught: unknown;
    try {
      checkUrl(raw);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StepError);
    expect(caught).toMatchObject({ code: 'webhook_url_refused', permanent: true, message: expect.stringMatching(message) });
  });
});

describe('guardedLookup', () => {
  const dns = fakeDns({
    'public.test': ['93.184.216.34', '2606:4700::1111'],
    'evil.test': ['127.0.0.1'],
    'rebind.test': ['93.184.216.34', '10.0.0.5'],
    'meta.test': ['169.254.169.254'],
  });

  it('answers a public name like dns.lookup would, one address or all', async () => {
    expect(await lookUp({ allowPrivate: false, lookup: dns }, 'public.test')).toEqual({ err: null, address: '93.184.216.34', family: 4 });
    const all = await lookUp({ allowPrivate: false, lookup: dns }, 'public.test', { all: true });
    expect(all.address).toEqual([{ address: '93.184.216.34', family: 4 }, { address: '2606:4700::1111', family: 6 }]);
  });

  it('refuses a name resolving to a private address, naming it', async () => {
    const { err } = await lookUp({ allowPrivate: false, lookup: dns }, 'evil.test');
    expect(err).toBeInstanceOf(StepError);
    expect(err).toMatchObject({ code: 'webhook_url_refused', permanent: true, message: expect.stringContaining('evil.test resolves to a private address 127.0.0.1') });
  });

  it('refuses when any one address is private, whichever comes first', async () => {
    const { err } = await lookUp({ allowPrivate: false, lookup: dns }, 'rebind.test', { all: true });
    expect(err?.message).toContain('10.0.0.5');
  });

  it('lets private addresses through when allowed, but never the metadata service', async () => {
    expect(await lookUp({ allowPrivate: true, lookup: dns }, 'evil.test')).toMatchObject({ err: null, address: '127.0.0.1' });
    const { err } = await lookUp({ allowPrivate: true, lookup: dns }, 'meta.test');
    expect(err).toMatchObject({ code: 'webhook_url_refused' });
  });

  it('uses an isForbidden override in place of the address table', async () => {
    const opts = { allowPrivate: false, lookup: dns, isForbidden: (ip: string) => ip === '93.184.216.34' };
    expect((await lookUp(opts, 'evil.test')).err).toBeNull();
    expect((await lookUp(opts, 'public.test')).err).toMatchObject({ code: 'webhook_url_refused' });
  });

  it('passes DNS failures through untouched, so they stay retryable', async () => {
    const { err } = await lookUp({ allowPrivate: false, lookup: dns }, 'nowhere.test');
    expect(err).toMatchObject({ code: 'ENOTFOUND' });
    expect(err).not.toBeInstanceOf(StepError);
  });

  it('refuses localhost through the real resolver', async () => {
    const { err } = await lookUp({ allowPrivate: false }, 'localhost');
    expect(err).toMatchObject({ code: 'webhook_url_refused' });
  });
});
