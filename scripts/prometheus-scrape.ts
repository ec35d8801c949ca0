// The README's Prometheus scrape config, tried for real: `promtool check config` on it, then a real
// Prometheus (Debian's `prometheus` package, the same one that ships promtool) scraping a live server
// with it, and its query API asked whether the scrape worked. A config that only looks right in the
// README (a wrong path, a token Prometheus never sends) fails here.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@/bench/lib/server';

const MARKER = '<!-- scrape config: checked by npm run check:metrics -->';
/** The placeholders the README uses, replaced by the live server's address and token file. */
const README_TARGET = 'cueframe.example.com';
const README_TOKEN_FILE = '/etc/prometheus/cueframe-metrics-token';

/** The fenced yaml block that follows the marker in README.md. */
export async function readmeScrapeConfig(readmePath = path.join(process.cwd(), 'README.md')): Promise<string> {
  const text = await fs.readFile(readmePath, 'utf8');
  const at = text.indexOf(MARKER);
  if (at < 0) throw new Error(`README.md has no "${MARKER}" before its scrape config`);
  const block = /```yaml\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block) throw new Error('README.md: no ```yaml block after the scrape config marker');
  return block[1]!;
}

interface QueryResult {
  status: string;
  data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

async function query(promUrl: string, q: string): Promise<number | undefined> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`).catch(() => undefined);
  if (!res?.ok) return undefined;
  const body = (await res.json()) as QueryResult;
  const v = body.data?.result[0]?.value[1];
  return v === undefined ? undefined : Number(v);
}

/**
 * Runs Prometheus with the README's config pointed at `baseUrl`, and waits until it reports the
 * target up and has stored `expect` (a PromQL expression that must be > 0). Returns what it saw.
 */
export async function scrapeWithPrometheus(opts: { baseUrl: string; token: string; expect: string; timeoutMs: number }): Promise<string> {
  const config = await readmeScrapeConfig();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-prometheus-'));
  let prom: ChildProcess | undefined;
  let output = '';
  try {
    const target = new URL(opts.baseUrl);
    const tokenFile = path.join(dir, 'token');
    await fs.writeFile(tokenFile, opts.token);
    // Only what differs between the README's deployment and this machine is replaced; a global
    // interval of 1 s is added so the check does not wait out the default minute.
    const live = `global:\n  scrape_interval: 1s\n${config}`
      .replaceAll(README_TARGET, target.host)
      .replaceAll(README_TOKEN_FILE, tokenFile)
      .replace(/scheme: https/, `scheme: ${target.protocol.slice(0, -1)}`);
    if (live.includes('example.com') || !live.includes(tokenFile)) throw new Error(`the README's scrape config no longer has the placeholders this check replaces:\n${config}`);
    const file = path.join(dir, 'prometheus.yml');
    await fs.writeFile(file, live);
    const check = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`promtool check config failed on the README's scrape config:\n${check.stdout}${check.stderr}`);

    const port = await freePort();
    prom = spawn('prometheus', [
      `--config.file=${file}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
    prom.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
    const promUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + opts.timeoutMs;
    for (;;) {
      const up = await query(promUrl, 'up{job="cueframe"}');
      const seen = await query(promUrl, opts.expect);
      if (up === 1 && seen !== undefined && seen > 0) return `up{job="cueframe"} = 1, ${opts.expect} = ${seen}`;
      if (prom.exitCode !== null) throw new Error(`prometheus exited (${prom.exitCode}):\n${output.slice(-2000)}`);
      if (Date.now() > deadline) {
        throw new Error(`prometheus did not scrape the server within ${opts.timeoutMs / 1000} s (up = ${up}, ${opts.expect} = ${seen}):\n${output.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 500)); // polling another process's scrape loop; there is nothing to await
    }
  } finally {
    prom?.kill('SIGTERM');
    if (prom && prom.exitCode === null) await new Promise((r) => prom!.once('exit', r));
    await fs.rm(dir, { recursive: true, force: true });
  }
}
