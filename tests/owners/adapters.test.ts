// The limit functions of migration 0013 behave alike on every database the app runs on: node-postgres,
// embedded PGlite (the default for `npm run dev`) and @vercel/postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admitGenerate, startingBalanceFor } from '@/lib/limits/admit';
import { quotaOf, takeQuota } from '@/lib/limits/quota';
import { loadConfig } from '@/lib/config';
import { adapters, type TestDatabase } from '../helpers/db';

const now = new Date('2031-05-04T12:00:00Z');
const config = loadConfig({ RATE_LIMIT_GENERATE_PER_MINUTE: '2', RATE_LIMIT_ESTIMATE_PER_MINUTE: '2', ANON_GRANTS_PER_IP_PER_DAY: '1', STARTING_CREDITS: '40' });

describe.each(adapters)('client limits on $name', ({ create }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await create();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('takes a quota until it is used up, and a refusal changes nothing', async () => {
    const q = quotaOf(config, 'estimate');
    const takes = [];
    for (let i = 0; i < 3; i++) takes.push(await takeQuota(t.db, q, '203.0.113.1', now));
    expect(takes.map((x) => [x?.taken, x?.used])).toEqual([[true, 1], [true, 2], [false, 2]]);
    expect(new Set(takes.map((x) => x?.resetsAt.getTime())).size).toBe(1);
    expect((await t.db.query('select used from client_limits')).rows).toEqual([{ used: 2 }]);
  });

  it('admits a new anonymous owner with its grant, then refuses the next new owner with 402 and writes nothing for it', async () => {
    const r = { anonymous: true, client: '203.0.113.2', now };
    await admitGenerate(t.db, config, { ...r, ownerId: 'anon_first' });
    expect((await t.db.query("select balance from owners where id = 'anon_first'")).rows).toEqual([{ balance: 40 }]);
    expect(await startingBalanceFor(t.db, config, r.client, now)).toBe(0);
    await expect(admitGenerate(t.db, config, { ...r, ownerId: 'anon_second' })).rejects.toMatchObject({ code: 'insufficient_credits' });
    expect((await t.db.query("select 1 from owners where id = 'anon_second'")).rowCount).toBe(0);
    // The refused request gave its generate unit back: the first one's is all that is used.
    expect((await t.db.query("select used from client_limits where policy = 'generate' and client = $1::text", [r.client])).rows).toEqual([{ used: 1 }]);
  });
});
