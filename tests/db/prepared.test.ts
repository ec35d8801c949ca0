// Prepared statements (lib/db/prepared.ts): every adapter runs them, and the two PostgreSQL adapters
// prepare them once per connection, by a name that changes with the text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDb } from '@/lib/db/pg';
import { prepared } from '@/lib/db/prepared';
import type { Db } from '@/lib/db/types';
import { adapters, type TestDatabase } from '../helpers/db';

const ADD_ONE = prepared('test_add_one', 'select $1::int + 1 as n');

/** What this statement's connection has prepared, read on the same connection. */
async function preparedOnConnection(db: Db, run: boolean): Promise<string[]> {
  return db.transaction(async (tx) => {
    if (run) expect((await tx.query<{ n: number }>(ADD_ONE, [41])).rows).toEqual([{ n: 42 }]);
    return (await tx.query<{ name: string }>('select name from pg_prepared_statements order by name')).rows.map((r) => r.name);
  });
}

describe('prepared()', () => {
  it('names a statement by its label and a hash of its text', () => {
    expect(ADD_ONE.name).toMatch(/^cueframe_test_add_one_[0-9a-f]{10}$/);
    expect(prepared('test_add_one', 'select $1::int + 2 as n').name).not.toBe(ADD_ONE.name);
  });
});

describe.each(adapters)('prepared statements on $name', ({ name, create }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await create({ migrate: false });
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('answer like their text, call after call', async () => {
    for (const x of [1, 2, 3]) expect((await t.db.query<{ n: number }>(ADD_ONE, [x])).rows).toEqual([{ n: x + 1 }]);
  });

  // PGlite is one session in this process; there is no connection to prepare on.
  if (name === 'pglite') return;
  it('are prepared on the connection that ran them, once', async () => {
    const db = t.connect();
    try {
      const names = await preparedOnConnection(db, true);
      expect(names).toEqual([ADD_ONE.name]);
      // The same connection again (the pool holds one idle): still one, not re-prepared under a new name.
      expect(await preparedOnConnection(db, true)).toEqual([ADD_ONE.name]);
    } finally {
      await db.close();
    }
  });
});

describe('PG_PREPARED_STATEMENTS=off', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await adapters[0].create({ migrate: false });
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('sends the text unnamed, so nothing stays prepared', async () => {
    const db = createPgDb(t.url!, { max: 1, prepared: false });
    try {
      expect(await preparedOnConnection(db, true)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
