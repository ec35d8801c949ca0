// The address table the SSRF guard stands on. Each forbidden row is a way to reach this machine,
// its network or the metadata service; each allowed row is an ordinary public receiver.
import { isIP } from 'node:net';
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

// Forms ipaddr.js reads differently from a naive parser (or from a socket). Each is refused, and the
// comment says why; the public ones prove the refusal is about the form, not the address it decodes to.
const LIBRARY_FORMS = [
  '::ffff:127.0.0.1', // IPv4-mapped, dotted
  '::ffff:7f00:1', // IPv4-mapped, hex: isIPv4MappedAddress + toIPv4Address
  '::FFFF:127.0.0.1', // upper case
  '::ffff:0:7f00:1', // IPv4-translated (SIIT, range rfc6145)
  '::127.0.0.1', // IPv4-compatible: ipaddr.js reads it as ::ffff:127.0.0.1
  '::8.8.8.8', // ...so as written it is refused, public or not (all of ::/96 is)
  '::808:808', // the same in hex, which ipaddr.js keeps in ::/96
  '2002:7f00:1::', // 6to4 of 127.0.0.1
  '2002:a9fe:a9fe::1', // 6to4 of the metadata service
  '64:ff9b::7f00:1', // well-known NAT64 of 127.0.0.1
  '64:ff9b::127.0.0.1', // the same, dotted
  '64:ff9b:1::808:808', // local-use NAT64, even of a public host
  '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo (client 192.0.2.45 obfuscated)
  '2001::808:808', // Teredo, whatever it wraps
  'fe80::1%eth0', // zone id on a link-local address
  'fe80::1%25eth0', // zone id as a URL would escape it
  '2606:4700::1111%eth0', // a zone id picks a local interface: refused even on a public address
  '0177.0.0.1', // octal 127.0.0.1 to inet_aton
  '0x7f.1', // hex, two-part
  '127.1', // short form
  '2130706433', // one 32-bit number
  '0x8.0x8.0x8.0x8', // 8.8.8.8 in hex: refused for its form
  '134744072', // 8.8.8.8 as one number
  '8.8.2056', // 8.8.8.8 three-part
  '08.8.8.8', // leading zero
  '::ffff:0177.0.0.1', // ipaddr.js would read the tail as decimal 177.0.0.1, a public host
  '::ffff:08.8.8.8',
  '::ffff:127.1', // short dotted tail
  '[fe80::1%eth0]',
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
  '::ffff:0:808:808', // IPv4-translated 8.8.8.8
  '64:ff9b::8.8.8.8', // NAT64 of 8.8.8.8, dotted
  '2001:200::1', // just above Teredo's 2001::/32
  '[2606:4700::1111]',
];

describe('isForbiddenAddress', () => {
  it.each(FORBIDDEN)('forbids %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each(ALLOWED)('allows %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });

  it.each(LIBRARY_FORMS)('forbids the library-sensitive form %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  // Whatever is allowed must be text a socket itself takes as a literal, so no form reaches
  // getaddrinfo to be reinterpreted there.
  it('allows only what node:net takes as an IP literal', () => {
    for (const ip of [...FORBIDDEN, ...ALLOWED, ...LIBRARY_FORMS]) {
      if (!isForbiddenAddress(ip)) expect(isIP(ip.replace(/^\[(.*)\]$/, '$1')), ip).not.toBe(0);
    }
  });
});
