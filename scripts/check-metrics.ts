// npm run check:metrics — what Prometheus would see from a live server: `next start` (built first if
// the sources changed) on a fresh database, a little real work, and /api/metrics scraped before and
// after each step. Every scrape must pass `promtool check metrics` (Debian's `prometheus` package),
// and no counter or histogram sample (_bucket, _sum, _count) may go down from one scrape to the next,
// in particular across a cancel and the retry of a failed video, which move tasks and videos back.
//
// The work: video A (one scene, with a webhook to a receiver here) fails for real, because
// CUEFRAME_FAULTS=render:once makes each scene's first narration fail for good; Retry finishes it.
// Video B is cancelled while it awaits review. Last, a real Prometheus scrapes the server with the
// README's scrape config (scripts/prometheus-scrape.ts). Uses BENCH_DATABASE_URL / TEST_DATABASE_URL, else an
// embedded PostgreSQL, like the benches.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { closeBenchServer, createBenchDatabase } from '@/bench/lib/db';
import { ensureBuild, startServer, type BenchServer } from '@/bench/lib/server';
import { parseExposition, type Exposition } from '@/tests/admin/exposition';
import { scrapeWithPrometheus } from './prometheus-scrape';

const METRICS_TOKEN = 'check-metrics-token-0123456789';
const WAIT_MS = 180_000;

function promtoolVersion(): string {
  const r = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error('promtool is not installed: `apt-get install -y --no-install-recommends prometheus` (Debian) provides it.');
  }
  return (r.stdout || r.stderr).split('\n')[0]!;
}

interface Scrape {
  label: string;
  text: string;
  parsed: Exposition;
}

async function scrape(server: BenchServer, label: string): Promise<Scrape> {
  const res = await fetch(`${server.baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${label}: /api/metrics answered ${res.status}: ${text}`);
  // promtool reads the exposition on stdin; lint findings and format errors both exit non-zero.
  const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`${label}: promtool check metrics failed (exit ${check.status}):\n${check.stdout}${check.stderr}`);
  console.log(`[check:metrics] ${label}: promtool ok, ${text.split('\n').filter((l) => l && !l.startsWith('#')).length} samples`);
  return { label, text, parsed: parseExposition(text) };
}

const key = (s: { name: string; labels: Record<string, string> }) =>
  `${s.name}{${Object.entries(s.labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}="${v}"`).join(',')}}`;

/** The samples that must never fall: every counter's, and a histogram's buckets, sum and count. */
function monotonic(e: Exposition): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of e.samples) {
    const family = Object.keys(e.types).find((f) => s.name === f || (s.name.startsWith(f) && /^_(bucket|sum|count)$/.test(s.name.slice(f.length))));
    const type = family ? e.types[family] : undefined;
    if (type === 'counter' || type === 'histogram') out.set(key(s), s.value);
  }
  return out;
}

/** Problems between two consecutive scrapes: a monotonic sample that fell or vanished. */
export function decreases(before: Exposition, after: Exposition): string[] {
  const a = monotonic(after);
  const problems: string[] = [];
  for (const [k, v] of monotonic(before)) {
    const now = a.get(k);
    if (now === undefined) problems.push(`${k} vanished (was ${v})`);
    else if (now < v) problems.push(`${k} went down: ${v} → ${now}`);
  }
  return problems;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250)); // polling a live server's state; there is nothing to await
  }
}

async function main(): Promise<void> {
  console.log(`[check:metrics] ${promtoolVersion()}`);
  ensureBuild();
  const database = await createBenchDatabase({ migrate: true });
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-check-metrics-'));
  const deliveries: number[] = [];
  // The webhook receiver: refuses the first delivery (a retried delivery), accepts the rest.
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      deliveries.push(Date.now());
      res.writeHead(deliveries.length === 1 ? 503 : 204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  let server: BenchServer | undefined;
  try {
    server = await startServer({
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      METRICS_TOKEN,
      CUEFRAME_FAULTS: 'render:once',
      SCHEDULER: 'on',
      SCHEDULER_POLL_MS: '200',
      LOG_LEVEL: 'error',
      SIGNING_SECRET: 'check-metrics-signing-secret-0123456789',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      RATE_LIMIT_GENERATE_PER_MINUTE: '0',
      RATE_LIMIT_ESTIMATE_PER_MINUTE: '0',
      ANON_GRANTS_PER_IP_PER_DAY: '0',
    });
    const base = server.baseUrl;
    const me = await fetch(`${base}/api/me`);
    const cookie = me.headers.getSetCookie()[0]?.split(';')[0];
    if (!cookie) throw new Error('/api/me set no owner cookie');
    const post = async (p: string, body?: unknown) => {
      const res = await fetch(`${base}${p}`, {
        method: 'POST', headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status >= 300) throw new Error(`POST ${p} answered ${res.status}: ${JSON.stringify(json)}`);
      return json;
    };
    const status = async (id: string) => {
      const res = await fetch(`${base}/api/video/status/${id}`, { headers: { cookie } });
      return ((await res.json()) as { status: string }).status;
    };
    const reaches = (id: string, wanted: string[]) =>
      waitFor(`video ${id} to be ${wanted.join(' or ')}`, async () => {
        const s = await status(id);
        return wanted.includes(s) ? s : undefined;
      });
    const idle = () => waitFor('the queue to be idle', async () => {
      const res = await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      const m = parseExposition(await res.text());
      const busy = m.samples.filter((s) => s.name === 'cueframe_queue_tasks' && ['ready', 'running'].includes(s.labels.state!) && s.value > 0);
      return busy.length === 0 ? true : undefined;
    });

    const scrapes: Scrape[] = [await scrape(server, 'start')];
    const a = String((await post('/api/video/generate', {
      topic: 'Why leaves change colour in autumn', sceneCount: 1,
      callbackUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    })).id);
    await reaches(a, ['failed']);
    await idle();
    scrapes.push(await scrape(server, 'video A failed'));
    await post(`/api/video/${a}/retry`);
    await reaches(a, ['completed']);
    await idle();
    scrapes.push(await scrape(server, 'video A retried and completed'));

    // With review on, B stops after planning and waits (its scenes' first narrations would fail it
    // otherwise), so the cancel below always finds it in progress, however busy the machine is.
    const b = String((await post('/api/video/generate', { topic: 'How bees find their way home', sceneCount: 2, review: true })).id);
    await reaches(b, ['awaiting_review']);
    scrapes.push(await scrape(server, 'video B awaiting review'));
    await post(`/api/video/${b}/cancel`);
    await reaches(b, ['cancelled']);
    await idle();
    scrapes.push(await scrape(server, 'video B cancelled'));

    const problems = scrapes.slice(1).flatMap((s, i) => decreases(scrapes[i]!.parsed, s.parsed).map((p) => `${scrapes[i]!.label} → ${s.label}: ${p}`));
    // Every series is there from the first scrape on (0 when empty), so none appears mid-way.
    const first = new Set(scrapes[0]!.parsed.samples.map(key));
    for (const s of scrapes.slice(1)) {
      for (const k of s.parsed.samples.map(key)) if (!first.has(k)) problems.push(`${s.label}: ${k} appeared after the first scrape`);
    }
    // The check must have something to check: the work moved the totals it is about.
    const last = scrapes.at(-1)!.parsed;
    const expectations: [string, Record<string, string>, number][] = [
      ['cueframe_tasks_completed_total', { kind: 'render' }, 1],
      ['cueframe_tasks_failed_total', { kind: 'render' }, 1],
      ['cueframe_webhook_deliveries_total', { outcome: 'retried' }, 1],
      ['cueframe_webhook_deliveries_total', { outcome: 'delivered' }, 1],
      ['cueframe_credits_captured_total', {}, 1],
      ['cueframe_step_duration_seconds_count', { kind: 'plan' }, 1],
    ];
    for (const [name, labels, min] of expectations) {
      const v = last.value(name, labels) ?? 0;
      if (v < min) problems.push(`${name}${JSON.stringify(labels)} is ${v} after the work, expected at least ${min}`);
    }
    if (problems.length > 0) throw new Error(`metrics went wrong:\n  ${problems.join('\n  ')}`);
    // The README's scrape config, used as written by a real Prometheus against this server.
    const seen = await scrapeWithPrometheus({
      baseUrl: base, token: METRICS_TOKEN, expect: 'cueframe_tasks_completed_total{kind="render"}', timeoutMs: 60_000,
    });
    console.log(`[check:metrics] the README's scrape config: promtool check config ok; prometheus scraped the server: ${seen}`);
    console.log(`[check:metrics] ok: ${scrapes.length} scrapes pass promtool, no counter or histogram sample went down, ${deliveries.length} webhook deliveries received`);
  } finally {
    await server?.stop();
    receiver.close();
    await database.drop();
    await closeBenchServer();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
