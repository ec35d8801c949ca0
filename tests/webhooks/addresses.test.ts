// The address table the SSRF guard stands on. Each forbidden row is a way to reach this machine,
// its network or the metadata service; each allowed row is an ordinary public receiver.
import { describe, expect, it } from 'vitest';
import { isForbiddenAddress } from '@/lib/webhooks/ssrf';

const FORBIDDEN = [
  '127.0.0.1',
  '127.255.255.254',
  '0.0.0.0',
  '0.1.2.3',
  '10.0.0.5',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254',
  '169.254.0.1',
  '100.64.0.1',
  '100.127.255.255',
  '192.0.0.8',
  '198.18.0.1',
  '198.19.255.255',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  '::1',
  '::',
  'fc00::1',
  'fd12:3456:789a::1',
  'fe80::1',
  'fe80::1%eth0',
  'febf:ffff::1',
  'ff02::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1', // the same, as URL parsing writes it
  '::ffff:10.0.0.5',
  '::ffff:169.254.169.254',
  '64:ff9b::10.0.0.1',
  '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
  '64:ff9b:1::1', // local-use NAT64
  '2002:7f00:1::1', // 6to4 wrapping 127.0.0.1
  '::127.0.0.1', // deprecated IPv4-compatible
  '[::1]',
  'localhost', // not an address at all: fails closed
  '0127.0.0.1',
  '',
];

const ALLOWED = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.216.34',
  '172.15.255.255', // just below 172.16/12
  '172.32.0.1', // just above it
  '100.63.255.255', // just below CGNAT
  '100.128.0.1', // just above it
  '192.167.255.255',
  '198.17.255.255',
  '223.255.255.254',
  '11.0.0.1',
  '2606:4700::1111',
  '2001:4860:4860::8888',
  '2a00:1450:4001:82b::200e',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808', // NAT64 of 8.8.8.8
  '2002:808:808::1', // 6to4 wrapping 8.8.8.8
  'fbff::1', // just below fc00::/7
];

describe('isForbiddenAddress', () => {
  it.each(FORBIDDEN)('forbids %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each(ALLOWED)('allows %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });
});
