// `npm run dev` must work at every address it prints: Next.js serves its scripts and hot-reload socket
// to localhost alone unless next.config.ts lists the other hosts, and a page whose scripts are refused
// never hydrates. The list is computed by lib/http/dev-origins.ts; a real `next dev` shows it is applied.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devOrigins } from '@/lib/http/dev-origins';
import { freePort, ROOT, waitFor } from '../helpers/server';

const lan = (address: string, family: 'IPv4' | 'IPv6', scopeid?: number): os.NetworkInterfaceInfo => ({
  address, family, netmask: '', mac: '00:00:00:00:00:00', internal: false, cidr: null, ...(family === 'IPv6' ? { scopeid: scopeid ?? 0 } : {}),
} as os.NetworkInterfaceInfo);

describe('the hosts next dev serves its assets to', () => {
  it('lists localhost, 127.0.0.1 and every address of every interface', () => {
    const hosts = devOrigins({
      lo: [lan('127.0.0.1', 'IPv4'), lan('::1', 'IPv6')],
      eth0: [lan('192.168.1.23', 'IPv4'), lan('FD00::2', 'IPv6')],
      wlan0: [lan('10.0.0.7', 'IPv4')],
    });
    expect(hosts).toEqual(['localhost', '127.0.0.1', '[::1]', '192.168.1.23', '[fd00::2]', '10.0.0.7']);
  });

  it('leaves out link-local IPv6, which no Origin header can name without its zone', () => {
    expect(devOrigins({ eth0: [lan('fe80::1', 'IPv6', 4)] })).not.toContain('[fe80::1]');
  });

  it('adds DEV_ORIGINS, as hosts or origins, comma- or space-separated, without duplicates', () => {
    const hosts = devOrigins({}, ' box.lan, https://Tunnel.Example.test:8443  *.preview.test 127.0.0.1:3000,,');
    expect(hosts).toEqual(['localhost', '127.0.0.1', '[::1]', 'box.lan', 'tunnel.example.test', '*.preview.test']);
  });

  it('is what next.config.ts hands Next.js', async () => {
    const { default: config } = await import('@/next.config');
    expect(config.allowedDevOrigins).toEqual(devOrigins(os.networkInterfaces(), process.env.DEV_ORIGINS));
  });
});

/** A non-internal IPv4 address of this machine: the one `next dev` prints as "Network:". */
function networkAddress(): string | undefined {
  return Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

describe('a real `next dev`', () => {
  let child: ChildProcess | undefined;
  let port = 0;
  let out = '';
  let dataDir = '';

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-dev-'));
    port = await freePort();
    child = spawn(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'dev', '-p', String(port), '-H', '0.0.0.0'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, SCHEDULER: 'off', NEXT_TELEMETRY_DISABLED: '1', DEV_ORIGINS: 'box.lan' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    await waitFor(() => /Ready in/.test(out), { timeoutMs: 90_000, message: () => `next dev to be ready:\n${out}`,
      fatal: () => (child?.exitCode !== null ? `next dev exited:\n${out}` : undefined) });
  }, 120_000);

  afterAll(async () => {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      process.kill(-child.pid, 'SIGKILL');
      await exited;
    }
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  // Any /_next/ path goes through the check before routing, so a missing chunk answers 404 when the host
  // is allowed and 403 "Unauthorized" when it is not: no page needs compiling to tell them apart.
  const asset = (origin: string) =>
    fetch(`http://127.0.0.1:${port}/_next/static/chunks/not-there.js`, { headers: { origin, 'sec-fetch-mode': 'cors', 'sec-fetch-site': 'same-origin' } });

  it('serves /_next/ assets to a page opened at the network address, 127.0.0.1 and a DEV_ORIGINS host', async () => {
    const address = networkAddress();
    const origins = [`http://127.0.0.1:${port}`, `http://box.lan:${port}`, ...(address ? [`http://${address}:${port}`] : [])];
    for (const origin of origins) {
      const res = await asset(origin);
      await res.arrayBuffer();
      expect({ origin, status: res.status }).toEqual({ origin, status: 404 });
    }
  });

  it('still refuses them to any other site', async () => {
    const res = await asset('http://elsewhere.example');
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('Unauthorized');
  });
});
