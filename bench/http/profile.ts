// Where a request's time goes, measured in this process against the same database and storage the
// server used, with the server idle: the lib functions the two routes call (getVideoView, createVideos),
// wrapped so every SQL round trip and URL signature is counted and timed, plus the pure-CPU pieces
// (owner-cookie HMAC, body validation, JSON + SHA-1 ETag). Then the same functions under 64 concurrent
// callers without Next.js or HTTP, on the server's pool size (10) and on a pool of 64, to separate what
// the database and pool can do from what the HTTP layer costs.
import { createHash } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { parseWith } from '@/lib/api/body';
import { resolveOwner } from '@/lib/auth/owner';
import { loadConfig } from '@/lib/config';
import { createPgDb } from '@/lib/db/pg';
import type { Db, Queryable, QueryResult } from '@/lib/db/types';
import { generateVideoRequestSchema } from '@/lib/schemas/video';
import { resolveSecret } from '@/lib/secret';
import { LocalStorage } from '@/lib/storage/local';
import { signPath } from '@/lib/storage/signing';
import { createVideos } from '@/lib/videos/create';
import { resolveRequest } from '@/lib/videos/resolve';
import { urlSigner, type UrlSigner } from '@/lib/videos/urls';
import { getVideoView } from '@/lib/videos/view';
import { summarize, type Summary } from '../lib/stats';
import type { StatusTarget } from './seed';

interface Counter {
  queries: number;
  dbMs: number;
}

/** A Db whose every round trip (begin and commit included) is counted and timed. */
function instrument(db: Db, c: Counter): Db {
  const timed = (q: Queryable): Queryable['query'] =>
    async <R,>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
      const t = performance.now();
      try {
        return await q.query<R>(text, params);
      } finally {
        c.queries++;
        c.dbMs += performance.now() - t;
      }
    };
  return {
    kind: db.kind,
    query: timed(db),
    async transaction(fn) {
      const t = performance.now();
      let inner = 0;
      const r = await db.transaction(async (tx) => {
        const before = c.dbMs;
        const out = await fn({ query: timed(tx) });
        inner = c.dbMs - before;
        return out;
      });
      // begin and commit are two more round trips; their time is the transaction's time outside fn's queries.
      c.queries += 2;
      c.dbMs += performance.now() - t - inner; // includes the pool checkout
      return r;
    },
    close: () => db.close(),
  };
}

function countingSigner(sign: UrlSigner, c: { calls: number; ms: number }): UrlSigner {
  const counted = async (key: string | null, opts?: { download?: boolean; access?: 'public' | 'private' }) => {
    if (!key) return null;
    const t = performance.now();
    try {
      return await sign(key, opts);
    } finally {
      c.calls++;
      c.ms += performance.now() - t;
    }
  };
  return Object.assign(counted, { expiresAt: sign.expiresAt });
}

type Timed = Summary & { /** CPU time of this process per call (lib code, pg driver, crypto), ms. */ cpuMs: number };

/** Calls fn `n` times serially and returns the per-call wall time summary and CPU time. */
async function serial(n: number, fn: (i: number) => unknown): Promise<Timed> {
  const ms: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  const d = process.cpuUsage(cpu);
  return { ...summarize(ms), cpuMs: (d.user + d.system) / 1000 / n };
}

export interface Concurrent {
  poolMax: number;
  callers: number;
  calls: number;
  perSecond: number;
  latencyMs: Summary;
}

/** `callers` closed loops over fn for `ms` (bounded by time), after a 500 ms warm-up. */
async function concurrent(poolMax: number, callers: number, ms: number, fn: (i: number) => Promise<unknown>): Promise<Concurrent> {
  const start = performance.now();
  const from = start + 500;
  const until = from + ms;
  const lat: number[] = [];
  let seq = 0;
  await Promise.all(Array.from({ length: callers }, async () => {
    while (performance.now() < until) {
      const t = performance.now();
      await fn(seq++);
      const e = performance.now();
      if (t >= from && e < until) lat.push(e - t);
    }
  }));
  return { poolMax, callers, calls: lat.length, perSecond: (lat.length / ms) * 1000, latencyMs: summarize(lat) };
}

export interface Profile {
  selectOneRttMs: Timed;
  status: {
    /** getVideoView alone, serial, one connection. */
    viewMs: Timed;
    /** The same with URLs signed from the key alone (no storage.head per URL): what the metadata reads cost. */
    viewNoHeadMs: Timed;
    queriesPerCall: number;
    dbMsPerCall: number;
    signsPerCall: number;
    signMsPerCall: number;
    /** JSON.stringify + SHA-1 ETag of the view, per call. */
    etagMs: Timed;
    meanBodyBytes: number;
    concurrent: Concurrent[];
  };
  generate: {
    /** createVideos as the route calls it, serial. */
    createVideoMs: Timed;
    roundTripsPerCall: number;
    dbMsPerCall: number;
    /** JSON body parse + zod validation + server defaults, per call. */
    validateUs: number;
    concurrent: Concurrent[];
  };
  /** Verifying the signed owner cookie (one HMAC-SHA256), per call. */
  ownerCookieUs: number;
  /** loadConfig() from process.env (zod), per call: proxy.ts does this on every request it matches. */
  loadConfigUs: number;
}

export async function profile(opts: {
  databaseUrl: string;
  dataDir: string;
  targets: StatusTarget[];
  concurrentMs: number;
  /** The server's extra environment, so limits match what it ran with. */
  env: Record<string, string>;
}): Promise<Profile> {
  const config = loadConfig({ DATABASE_URL: opts.databaseUrl, DATA_DIR: opts.dataDir, SCHEDULER: 'off', ...opts.env });
  const secret = resolveSecret(config); // the file the server generated under DATA_DIR
  const storage = new LocalStorage({ root: path.join(opts.dataDir, 'storage'), secret, defaultTtlSeconds: config.signedUrlTtlSeconds });
  const ownerOf = new Map<string, string>();
  for (const t of opts.targets) {
    const owner = resolveOwner(new Request('http://x/', { headers: { cookie: t.cookie } }), secret, false);
    if (owner.setCookie) throw new Error('profile: a seeded cookie did not verify with the server secret');
    ownerOf.set(t.id, owner.id);
  }

  // Plain round trip.
  const c = new pg.Client({ connectionString: opts.databaseUrl });
  await c.connect();
  let selectOneRttMs: Timed;
  try {
    for (let i = 0; i < 50; i++) await c.query('select 1');
    selectOneRttMs = await serial(500, () => c.query('select 1'));
  } finally {
    await c.end();
  }

  // Status: one connection, serial.
  const counter: Counter = { queries: 0, dbMs: 0 };
  const signs = { calls: 0, ms: 0 };
  const one = createPgDb(opts.databaseUrl, { max: 1 });
  const db1 = instrument(one, counter);
  const view = (db: Queryable, i: number, sign: UrlSigner) => {
    const t = opts.targets[i % opts.targets.length]!;
    return getVideoView(db, ownerOf.get(t.id)!, t.id, sign);
  };
  const N = 300;
  let viewMs: Timed;
  let viewNoHeadMs: Timed;
  let createVideoMs: Timed;
  const genCounter: Counter = { queries: 0, dbMs: 0 };
  const req = resolveRequest(config, parseWith(generateVideoRequestSchema, { topic: 'Profile: how volcanoes work', sceneCount: 4 }));
  // What the generate route passes, with the bench's never-tripping limits.
  const create = (db: Db, ownerId: string) => createVideos(db, {
    ownerId, requests: [req], maxAttempts: config.taskPolicies.plan.maxAttempts, startingCredits: config.startingCredits,
    maxActive: config.maxActiveVideos, now: new Date(),
  });
  try {
    for (let i = 0; i < 50; i++) await view(one, i, urlSigner(storage, new Date(), config.signedUrlTtlSeconds));
    viewMs = await serial(N, (i) => view(db1, i, countingSigner(urlSigner(storage, new Date(), config.signedUrlTtlSeconds), signs)));
    // What-if: the same URLs signed straight from the key, without reading the object's metadata first.
    const expiresAt = Math.ceil((Math.floor(Date.now() / 1000) + config.signedUrlTtlSeconds) / 300) * 300;
    const direct: UrlSigner = Object.assign(
      async (key: string | null, o?: { download?: boolean }) => (key ? signPath(key, { secret, expiresAt, download: o?.download }) : null),
      { expiresAt },
    );
    viewNoHeadMs = await serial(N, (i) => view(one, i, direct));
    const gdb = instrument(one, genCounter);
    createVideoMs = await serial(200, (i) => create(gdb, `profile-${i % 10}`));
  } finally {
    await one.close();
  }

  // Pure CPU pieces.
  const sign = urlSigner(storage, new Date(), config.signedUrlTtlSeconds);
  const views = await (async () => {
    const db = createPgDb(opts.databaseUrl, { max: 1 });
    try {
      return await Promise.all(opts.targets.map((_, i) => view(db, i, sign)));
    } finally {
      await db.close();
    }
  })();
  const bodies = views.map((v) => JSON.stringify(v));
  const etagMs = await serial(2_000, (i) => {
    const body = JSON.stringify(views[i % views.length]);
    return createHash('sha1').update(body).digest('base64url');
  });
  const cookieReq = new Request('http://x/', { headers: { cookie: opts.targets[0]!.cookie } });
  const M = 20_000;
  let t = performance.now();
  for (let i = 0; i < M; i++) resolveOwner(cookieReq, secret, false);
  const ownerCookieUs = ((performance.now() - t) / M) * 1000;
  t = performance.now();
  for (let i = 0; i < 2_000; i++) loadConfig();
  const loadConfigUs = ((performance.now() - t) / 2_000) * 1000;
  const bodyText = JSON.stringify({ topic: 'Profile: how volcanoes work', sceneCount: 4 });
  t = performance.now();
  for (let i = 0; i < 5_000; i++) resolveRequest(config, parseWith(generateVideoRequestSchema, JSON.parse(bodyText)));
  const validateUs = ((performance.now() - t) / 5_000) * 1000;

  // Concurrency without Next.js: the server's pool size, then a pool as large as the client count.
  const statusConcurrent: Concurrent[] = [];
  const generateConcurrent: Concurrent[] = [];
  for (const poolMax of [10, 64]) {
    const db = createPgDb(opts.databaseUrl, { max: poolMax });
    try {
      statusConcurrent.push(await concurrent(poolMax, 64, opts.concurrentMs, async (i) => {
        const v = await view(db, i, urlSigner(storage, new Date(), config.signedUrlTtlSeconds));
        createHash('sha1').update(JSON.stringify(v)).digest('base64url');
      }));
      generateConcurrent.push(await concurrent(poolMax, 64, opts.concurrentMs, (i) => create(db, `profile-c-${poolMax}-${i % 64}`)));
    } finally {
      await db.close();
    }
  }

  return {
    selectOneRttMs,
    status: {
      viewMs,
      viewNoHeadMs,
      queriesPerCall: counter.queries / N,
      dbMsPerCall: counter.dbMs / N,
      signsPerCall: signs.calls / N,
      signMsPerCall: signs.ms / N,
      etagMs,
      meanBodyBytes: bodies.reduce((s, b) => s + Buffer.byteLength(b), 0) / bodies.length,
      concurrent: statusConcurrent,
    },
    generate: {
      createVideoMs,
      roundTripsPerCall: genCounter.queries / 200,
      dbMsPerCall: genCounter.dbMs / 200,
      validateUs,
      concurrent: generateConcurrent,
    },
    ownerCookieUs,
    loadConfigUs,
  };
}
