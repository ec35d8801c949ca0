// The transaction helper retries what PostgreSQL resolves by aborting one side (deadlock 40P01,
// serialization failure 40001), a bounded number of times, on every adapter (lib/db/retry.ts).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { TRANSACTION_ATTEMPTS } from '@/lib/db/retry';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/log';
import { adapters, type TestDatabase } from '../helpers/db';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

// Real PostgreSQL errors, their SQLSTATE set by the server.
const RAISE_SERIALIZATION_FAILURE = "do $$ begin raise exception 'forced' using errcode = 'serialization_failure'; end $$";
const RAISE_DEADLOCK = "do $$ begin raise exception 'forced' using errcode = 'deadlock_detected'; end $$";

describe.each(adapters)('transaction retries on $name', ({ name, create }) => {
  let t: TestDatabase;
  let warn: MockInstance<typeof log.warn>;
  beforeAll(async () => {
    t = await create();
    await t.db.query('create table pair (id int primary key, n int not null)');
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    await t.db.query('delete from pair');
    await t.db.query('insert into pair (id, n) values (1, 0), (2, 0)');
    warn = vi.spyOn(log, 'warn');
  });
  afterEach(() => {
    warn.mockRestore();
  });

  const counts = async () => (await t.db.query<{ n: number }>('select n from pair order by id')).rows.map((r) => r.n);

  it.skipIf(name === 'pglite')('a real deadlock between two connections: the aborted side runs again, and each commits once', async () => {
    const other = t.connect();
    const oneLocked = deferred();
    const twoLocked = deferred();
    const runs = { a: 0, b: 0 };
    // Each locks its first row, waits until the other holds its own, then asks for the other's: a cycle.
    const a = t.db.transaction(async (tx) => {
      runs.a++;
      await tx.query('update pair set n = n + 1 where id = 1');
      oneLocked.resolve();
      await twoLocked.promise;
      await tx.query('update pair set n = n + 1 where id = 2');
    });
    const b = other.transaction(async (tx) => {
      runs.b++;
      await tx.query('update pair set n = n + 1 where id = 2');
      twoLocked.resolve();
      await oneLocked.promise;
      await tx.query('update pair set n = n + 1 where id = 1');
    });
    await Promise.all([a, b]);
    expect(runs.a + runs.b).toBe(3);
    expect(await counts()).toEqual([2, 2]);
    expect(warn.mock.calls.filter(([msg]) => msg === 'transaction retried').map(([, f]) => f?.code)).toEqual(['40P01']);
  });

  it('runs a body again after a serialization failure; the failed run left nothing behind', async () => {
    let runs = 0;
    const result = await t.db.transaction(async (tx) => {
      runs++;
      await tx.query('update pair set n = n + 1 where id = 1');
      if (runs === 1) await tx.query(RAISE_SERIALIZATION_FAILURE);
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(runs).toBe(2);
    expect(await counts()).toEqual([1, 0]);
  });

  it(`gives up after ${TRANSACTION_ATTEMPTS} attempts and throws the deadlock`, async () => {
    expect(TRANSACTION_ATTEMPTS).toBe(3);
    let runs = 0;
    await expect(t.db.transaction(async (tx) => {
      runs++;
      await tx.query('update pair set n = n + 1 where id = 1');
      await tx.query(RAISE_DEADLOCK);
    })).rejects.toMatchObject({ code: '40P01' });
    expect(runs).toBe(TRANSACTION_ATTEMPTS);
    expect(await counts()).toEqual([0, 0]);
  });

  it('never retries other failures: a constraint violation or a refusal runs once', async () => {
    let runs = 0;
    await expect(t.db.transaction(async (tx) => {
      runs++;
      await tx.query('insert into pair (id, n) values (1, 9)');
    })).rejects.toMatchObject({ code: '23505' });
    expect(runs).toBe(1);
    runs = 0;
    await expect(t.db.transaction(async () => {
      runs++;
      throw new AppError('conflict', 'no');
    })).rejects.toMatchObject({ code: 'conflict' });
    expect(runs).toBe(1);
    expect(warn.mock.calls.filter(([msg]) => msg === 'transaction retried')).toEqual([]);
  });
});
