// Which client a request counts as, for the per-client limits: the platform's header on Vercel,
// X-Forwarded-For only as far as TRUST_PROXY trusts it, and IPv6 counted per /64.
import { describe, expect, it } from 'vitest';
import { bucketOf, clientAddress, clientKey, UNKNOWN_CLIENT } from '@/lib/limits/client';

const h = (init: Record<string, string>) => new Headers(init);
const selfHosted = (trustProxy: number) => ({ onVercel: false, trustProxy });
const vercel = { onVercel: true, trustProxy: 0 };

describe('the client address', () => {
  it('on Vercel comes from x-vercel-forwarded-for, then x-real-ip; X-Forwarded-For alone is not enough', () => {
    const spoof = { 'x-forwarded-for': '6.6.6.6' };
    expect(clientAddress(h({ ...spoof, 'x-vercel-forwarded-for': '203.0.113.5', 'x-real-ip': '198.51.100.1' }), vercel)).toBe('203.0.113.5');
    expect(clientAddress(h({ ...spoof, 'x-real-ip': '198.51.100.1' }), vercel)).toBe('198.51.100.1');
    expect(clientKey(h(spoof), vercel)).toBe(UNKNOWN_CLIENT);
    // TRUST_PROXY does not apply on Vercel: its edge rewrites X-Forwarded-For itself.
    expect(clientAddress(h({ ...spoof, 'x-real-ip': '198.51.100.1' }), { onVercel: true, trustProxy: 1 })).toBe('198.51.100.1');
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: every request is the one client "unknown"', () => {
    expect(clientAddress(h({ 'x-forwarded-for': '203.0.113.5' }), selfHosted(0))).toBeNull();
    expect(clientKey(h({ 'x-forwarded-for': '203.0.113.5' }), selfHosted(0))).toBe(UNKNOWN_CLIENT);
    expect(clientKey(h({ 'x-real-ip': '203.0.113.5', 'x-vercel-forwarded-for': '203.0.113.6' }), selfHosted(0))).toBe(UNKNOWN_CLIENT);
  });

  it('with TRUST_PROXY=N takes the N-th entry from the right; what the client wrote further left is ignored', () => {
    const xff = h({ 'x-forwarded-for': '6.6.6.6, 7.7.7.7,203.0.113.5, 10.0.0.2' });
    expect(clientAddress(xff, selfHosted(1))).toBe('10.0.0.2');
    expect(clientAddress(xff, selfHosted(2))).toBe('203.0.113.5');
    // Fewer entries than trusted proxies: every entry is a trusted proxy's, the leftmost is the client.
    expect(clientAddress(h({ 'x-forwarded-for': '203.0.113.5' }), selfHosted(3))).toBe('203.0.113.5');
    // Two header lines arrive as one comma-joined value; the last is the nearest proxy's.
    const two = new Headers();
    two.append('x-forwarded-for', '6.6.6.6');
    two.append('x-forwarded-for', '203.0.113.9');
    expect(clientAddress(two, selfHosted(1))).toBe('203.0.113.9');
    expect(clientKey(h({}), selfHosted(1))).toBe(UNKNOWN_CLIENT);
    expect(clientKey(h({ 'x-forwarded-for': '6.6.6.6, ' }), selfHosted(1))).toBe(UNKNOWN_CLIENT);
  });
});

describe('the bucket an address counts in', () => {
  it('is the IPv4 address, in its canonical form', () => {
    expect(bucketOf('203.0.113.5')).toBe('203.0.113.5');
    expect(bucketOf('203.0.113.5:51234')).toBe('203.0.113.5');
    expect(bucketOf('2130706433')).toBe('127.0.0.1');
    expect(bucketOf('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(bucketOf('[::ffff:203.0.113.5]:443')).toBe('203.0.113.5');
  });

  it('is the /64 for IPv6: one /64 is one bucket, and different /64s are different buckets', () => {
    const a = bucketOf('2001:db8:1:2::1');
    expect(a).toBe('2001:db8:1:2::/64');
    expect(bucketOf('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(a);
    expect(bucketOf('2001:0db8:0001:0002:0000:0000:0000:0abc')).toBe(a);
    expect(bucketOf('[2001:db8:1:2::77]:8443')).toBe(a);
    expect(bucketOf('2001:db8:1:2::1%eth0')).toBe(a);
    expect(bucketOf('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(bucketOf('2001:db8:1:3::1')).not.toBe(a);
    expect(bucketOf('2001:db9:1:2::1')).not.toBe(a);
  });

  it('is "unknown" for anything that is not an address', () => {
    for (const junk of ['', 'unknown', 'evil.example', '1.2.3.4.5', '::g', "1.2.3.4'; drop table owners; --", 'x'.repeat(5000)]) {
      expect(bucketOf(junk), junk.slice(0, 40)).toBe(UNKNOWN_CLIENT);
    }
    expect(bucketOf(null)).toBe(UNKNOWN_CLIENT);
  });
});
