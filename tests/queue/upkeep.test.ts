// Invocations take turns at pruning the claim's rotation (lib/queue/upkeep.ts): at most once per
// interval across all of them, so owners whose work finished leave the claim's walk within minutes
// instead of at the next daily cleanup. On real PostgreSQL.
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { processOne } from '@/lib/pipeline/worker';
import { takeTurn } from '@/lib/queue/upkeep';
import { LocalStorage } from '@/lib/storage/local';
import { useQueueDatabase, type TestDatabase } from '../helpers/db';
import { deps, noopHandlers, rotationOwners, seedVideos } from '../helpers/queue';

const storage = new LocalStorage({ root: path.join(os.tmpdir(), `cueframe-upkeep-${process.pid}`), secret: 'x'.repeat(32) });
const database = useQueueDatabase();
const MINUTE = 60_000;
const T0 = Date.parse('2030-01-01T00:00:00Z');
let t: TestDatabase;

beforeEach(() => {
  t = database();
});

const rotation = () => rotationOwners(t.db);

async function addIdleOwners(prefix: string, n: number): Promise<void> {
  await t.db.query(
    `insert into queue_owners (owner_id, last_claimed_at)
     select $1::text || g, $2::timestamptz from generate_series(1, $3::int) g`,
    [prefix, new Date(T0 - 24 * 60 * MINUTE), n],
  );
}

describe('queue upkeep turns', () => {
  it('gives a job to the first caller of each interval, and to exactly one of many callers at once', async () => {
    const at = (min: number) => new Date(T0 + min * MINUTE);
    expect(await takeTurn(t.db, 'job', at(0), 10 * MINUTE)).toBe(true);
    expect(await takeTurn(t.db, 'job', at(9), 10 * MINUTE)).toBe(false);
    expect(await takeTurn(t.db, 'other', at(9), 10 * MINUTE)).toBe(true);
    expect(await takeTurn(t.db, 'job', at(10), 10 * MINUTE)).toBe(true);

    const racing = await Promise.all(Array.from({ length: 8 }, () => takeTurn(t.db, 'job', at(25), 10 * MINUTE)));
    expect(racing.filter(Boolean)).toHaveLength(1);
    const row = await t.db.query<{ last_run_at: Date }>("select last_run_at from queue_upkeep where job = 'job'");
    expect(row.rows[0]!.last_run_at.getTime()).toBe(at(25).getTime());
  });

  it('writes nothing when the job is not due: no row lock, no transaction id', async () => {
    expect(await takeTurn(t.db, 'job', new Date(T0), 10 * MINUTE)).toBe(true);
    await t.db.transaction(async (tx) => {
      expect(await takeTurn(tx, 'job', new Date(T0 + MINUTE), 10 * MINUTE)).toBe(false);
      const xid = await tx.query<{ xid: string | null }>('select pg_current_xact_id_if_assigned()::text as xid');
      expect(xid.rows[0]!.xid).toBeNull();
    });
  });

  it('prunes idle owners from the rotation in an invocation whose turn it is, and not again within the interval', async () => {
    let clock = T0;
    const d = deps(t.db, storage, { now: () => new Date(clock), handlers: noopHandlers });
    await seedVideos(t.db, 5, { ownerId: 'busy' }); // each invocation runs one plan, so work is left after three
    await addIdleOwners('done-yesterday-', 500);

    expect(await processOne(d, { invocationId: 'first' })).not.toBeNull();
    expect(await rotation()).toEqual(['busy']);

    clock = T0 + 9 * MINUTE;
    await addIdleOwners('done-today-', 3);
    await processOne(d, { invocationId: 'second' });
    expect(await rotation()).toHaveLength(4);

    clock = T0 + 10 * MINUTE;
    await processOne(d, { invocationId: 'third' });
    expect(await rotation()).toEqual(['busy']);
  });
});
