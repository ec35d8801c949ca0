// The @vercel/postgres adapter (lib/db/vercel.ts) against a real PostgreSQL. Its pool is Neon's
// WebSocket driver; tests/helpers/ws-bridge.ts stands in for Neon's WebSocket proxy, so every query
// here crosses WebSocket frames into the same wire protocol production uses. The HTTP `sql` tag is
// not used by the app and is not exercised.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '@/lib/db/migrate';
import { createPgDb } from '@/lib/db/pg';
import type { Db } from '@/lib/db/types';
import { createVercelDb } from '@/lib/db/vercel';
import { createTestVercelDatabase, createVercelTestDb, type VercelTestDatabase } from '../helpers/db';
import { adminUrl, withDatabase } from '../helpers/pg-url';
import { waitFor } from '../helpers/wait';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createPool connection-string check', () => {
  it('accepts pooled (-pooler.) and localhost URLs and rejects any other host as a direct connection', async () => {
    expect(() => createVercelDb('postgres://u:p@ep-cool-name-123456.us-east-2.aws.neon.tech/neondb')).toThrow(
      /meant to be used with a direct connection/,
    );
    expect(() => createVercelDb('postgres://u@127.0.0.1:5432/db')).toThrow(/meant to be used with a direct connection/);
    for (const url of ['postgres://u:p@ep-cool-name-123456-pooler.us-east-2.aws.neon.tech/neondb', 'postgres://u@localhost:5432/db']) {
      const db = createVercelDb(url); // the pool connects lazily: nothing is dialled here
      expect(db.kind).toBe('vercel');
      await db.close();
    }
  });
});

describe('@vercel/postgres adapter through a WebSocket bridge', () => {
  let t: VercelTestDatabase;
  let other: Db;
  let direct: Db;

  beforeAll(async () => {
    t = await createTestVercelDatabase({ migrate: false });
    other = t.connect();
    direct = createPgDb(withDatabase(adminUrl(), new URL(t.endpoint.url).pathname.slice(1)), { max: 2 });
    await t.db.query('create table kv (k text primary key, v int not null)');
  });
  afterAll(async () => {
    await direct?.close();
    await t?.drop();
    if (t) expect(t.endpoint.bridge.open).toBe(0);
  });

  it('runs parameterised queries with $n::type casts and returns what node-postgres returns', async () => {
    const text = `select $1::int as i, $2::bigint as big, $3::numeric as num, $4::text as s, $5::boolean as b,
      $6::uuid as id, $7::timestamptz as at, $8::jsonb as j, $9::text[] as arr, $10::int as nothing,
      $11::bytea as bytes, $12::timestamptz - $7::timestamptz as gap`;
    const params = [
      42,
      '9007199254740993',
      '1.50',
      `it's "quoted" – ünïcode; $1 -- not a comment`,
      true,
      '00000000-0000-4000-8000-00000000002a',
      new Date('2030-01-01T00:00:00.123Z'),
      JSON.stringify({ a: [1, 2], b: null }),
      ['a', 'b,c', 'd"e'],
      null,
      Buffer.from([0, 1, 255]),
      new Date('2030-01-01T00:00:01.123Z'),
    ];
    const viaVercel = await t.db.query<Record<string, unknown>>(text, params);
    const viaPg = await direct.query<Record<string, unknown>>(text, params);
    expect(viaVercel.rowCount).toBe(1);
    const row = viaVercel.rows[0]!;
    expect(row).toMatchObject({
      i: 42,
      big: '9007199254740993',
      num: '1.50',
      s: params[3],
      b: true,
      id: params[5],
      j: { a: [1, 2], b: null },
      arr: ['a', 'b,c', 'd"e'],
      nothing: null,
    });
    expect((row.at as Date).toISOString()).toBe('2030-01-01T00:00:00.123Z');
    expect([...(row.bytes as Uint8Array)]).toEqual([0, 1, 255]);
    // Same values, types and shapes as node-postgres on the same database.
    expect({ ...row, bytes: [...(row.bytes as Uint8Array)] }).toEqual({
      ...viaPg.rows[0],
      bytes: [...(viaPg.rows[0]!.bytes as Uint8Array)],
    });

    const ins = await t.db.query(
      'insert into kv (k, v) select $1::text || g::text, g from generate_series(1, $2::int) g',
      ['row-', 3],
    );
    expect(ins).toEqual({ rows: [], rowCount: 3 });
    const upd = await t.db.query<{ k: string; v: number }>(
      'update kv set v = v * $1::int where k like $2::text returning k, v',
      [10, 'row-%'],
    );
    expect(upd.rowCount).toBe(3);
    expect(upd.rows.sort((a, b) => a.v - b.v)).toEqual([
      { k: 'row-1', v: 10 },
      { k: 'row-2', v: 20 },
      { k: 'row-3', v: 30 },
    ]);
  });

  it('surfaces PostgreSQL errors with their SQLSTATE code', async () => {
    await t.db.query('insert into kv (k, v) values ($1::text, 1)', ['dup']);
    await expect(t.db.query('insert into kv (k, v) values ($1::text, 1)', ['dup'])).rejects.toMatchObject({ code: '23505' });
    await expect(t.db.query('select $1::int', ['not a number'])).rejects.toMatchObject({ code: '22P02' });
  });

  it('commits a transaction on one connection, invisible to other connections until commit', async () => {
    const count = async (db: Pick<Db, 'query'>, k: string) =>
      (await db.query<{ n: number }>('select count(*)::int as n from kv where k = $1::text', [k])).rows[0]!.n;
    const seen = await t.db.transaction(async (tx) => {
      await tx.query('insert into kv (k, v) values ($1::text, $2::int)', ['commit-a', 1]);
      return { inside: await count(tx, 'commit-a'), outside: await count(other, 'commit-a') };
    });
    expect(seen).toEqual({ inside: 1, outside: 0 });
    expect(await count(other, 'commit-a')).toBe(1);
  });

  it('rolls a transaction back when its function throws, and rethrows the same error', async () => {
    await t.db.query('insert into kv (k, v) values ($1::text, 1)', ['rollback-base']);
    const boom = new Error('boom');
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query('insert into kv (k, v) values ($1::text, 1)', ['rollback-a']);
        await tx.query('update kv set v = 99 where k = $1::text', ['rollback-base']);
        throw boom;
      }),
    ).rejects.toBe(boom);
    // A failed statement aborts the transaction; that rolls back too.
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query('insert into kv (k, v) values ($1::text, 1)', ['rollback-b']);
        await tx.query('insert into kv (k, v) values ($1::text, 1)', ['rollback-base']);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const rows = await other.query<{ k: string; v: number }>("select k, v from kv where k like 'rollback-%' order by k");
    expect(rows.rows).toEqual([{ k: 'rollback-base', v: 1 }]);

    // Every connection went back to the pool (max 10): more transactions than that still run.
    for (let i = 0; i < 12; i++) {
      await expect(t.db.transaction(async (tx) => (await tx.query<{ one: number }>('select 1 as one')).rows[0]!.one)).resolves.toBe(1);
    }
  });

  it('runs concurrent transactions on separate connections, isolated, with row locks held across them', async () => {
    await t.db.query("insert into kv (k, v) values ('locked', 0)");
    const aLocked = deferred();
    const bDone = deferred();
    const bothInserted = { a: deferred(), b: deferred() };

    const a = t.db.transaction(async (tx) => {
      const pid = (await tx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      await tx.query("select v from kv where k = 'locked' for update");
      await tx.query("insert into kv (k, v) values ('conc-a', 0)");
      aLocked.resolve();
      bothInserted.a.resolve();
      await bothInserted.b.promise;
      const seen = await tx.query<{ k: string }>("select k from kv where k like 'conc-%' order by k");
      await bDone.promise; // hold the row lock until B has looked
      await tx.query("update kv set v = v + 1 where k = 'locked'");
      return { pid, seen: seen.rows.map((r) => r.k) };
    });
    const b = t.db.transaction(async (tx) => {
      const pid = (await tx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      await aLocked.promise;
      // The queue's claim pattern: a row locked by another transaction is skipped, not waited for.
      const skipped = await tx.query("select v from kv where k = 'locked' for update skip locked");
      await tx.query("insert into kv (k, v) values ('conc-b', 0)");
      bothInserted.b.resolve();
      await bothInserted.a.promise;
      const seen = await tx.query<{ k: string }>("select k from kv where k like 'conc-%' order by k");
      bDone.resolve();
      return { pid, skipped: skipped.rowCount, seen: seen.rows.map((r) => r.k) };
    });

    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.pid).not.toBe(rb.pid);
    expect(ra.seen).toEqual(['conc-a']);
    expect(rb).toMatchObject({ skipped: 0, seen: ['conc-b'] });
    const after = await other.query<{ k: string; v: number }>(
      "select k, v from kv where k like 'conc-%' or k = 'locked' order by k",
    );
    expect(after.rows).toEqual([
      { k: 'conc-a', v: 0 },
      { k: 'conc-b', v: 0 },
      { k: 'locked', v: 1 },
    ]);
  });

  it('carries every connection over the bridge and closes them with the pool', async () => {
    const before = t.endpoint.bridge.open;
    expect(t.endpoint.bridge.accepted).toBeGreaterThanOrEqual(2);
    const d = createVercelTestDb(t.endpoint.url);
    await d.query('select 1');
    expect(t.endpoint.bridge.open).toBe(before + 1);
    await d.close();
    await waitFor(() => t.endpoint.bridge.open === before);
  });
});

describe('migrate() through the @vercel/postgres adapter', () => {
  let m: VercelTestDatabase;
  beforeAll(async () => {
    m = await createTestVercelDatabase({ migrate: false });
  });
  afterAll(async () => {
    await m?.drop();
  });

  it('runs multi-statement SQL without parameters (simple query protocol), and refuses it with parameters', async () => {
    await m.db.query("create table mq (a int); insert into mq values (1), (2); comment on table mq is 'x;y'");
    const n = await m.db.query<{ n: number }>('select count(*)::int as n from mq');
    expect(n.rows).toEqual([{ n: 2 }]);
    await expect(m.db.query('select $1::int; select 2', [1])).rejects.toMatchObject({ code: '42601' });
    await m.db.query('drop table mq');
  });

  it('applies the migration files once even when three pools race, and the schema works', async () => {
    const files = (await fs.readdir(path.join(process.cwd(), 'db', 'migrations')))
      .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
      .sort();
    expect(files.length).toBeGreaterThan(0);
    const results = await Promise.all([m.db, m.connect(), m.connect()].map((d) => migrate(d)));
    expect(results.flatMap((r) => r.migrations)).toEqual(files);
    expect(results.filter((r) => r.migrations.length > 0)).toHaveLength(1);
    expect(await migrate(m.db)).toEqual({ migrations: [], functions: [] });

    const applied = await m.db.query<{ name: string }>('select name from schema_migrations order by name');
    expect(applied.rows.map((r) => r.name)).toEqual(files);
    // The plpgsql trigger body ($$ … $$, with semicolons inside) from 0001 arrived intact.
    await m.db.query("insert into task_events (video_id, type) values ('00000000-0000-4000-8000-000000000001', 'enqueued')");
    await expect(m.db.query('delete from task_events')).rejects.toThrow(/append-only/);
  });

  it('rolls back every file of a migration run when one statement fails', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-vercel-migrate-'));
    try {
      await fs.writeFile(path.join(dir, '0001_good.sql'), 'create table good_one (a int);\ninsert into good_one values (1);\n');
      await fs.writeFile(path.join(dir, '0002_bad.sql'), 'create table good_two (a int);\nselect * from no_such_table;\n');
      const fresh = await createTestVercelDatabase({ migrate: false });
      try {
        await expect(migrate(fresh.db, { migrations: dir })).rejects.toMatchObject({ code: '42P01' });
        const left = await fresh.db.query<{ one: string | null; two: string | null; log: string | null }>(
          "select to_regclass('good_one')::text as one, to_regclass('good_two')::text as two, to_regclass('schema_migrations')::text as log",
        );
        expect(left.rows).toEqual([{ one: null, two: null, log: null }]);
      } finally {
        await fresh.drop();
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
