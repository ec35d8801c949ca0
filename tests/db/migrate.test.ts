import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '@/lib/db/migrate';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await t.drop();
});

describe('migrations', () => {
  it('apply once when six processes start at the same moment', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => migrate(t.connect())));
    const ran = results.flatMap((r) => r.migrations);
    const all = (await fs.readdir('db/migrations')).filter((f) => f.endsWith('.sql')).sort();
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(ran).toEqual(all);
    const rows = await t.db.query<{ name: string }>('select name from schema_migrations');
    expect(rows.rows.map((r) => r.name).sort()).toEqual(all);
    expect(await migrate(t.db)).toEqual({ migrations: [], functions: [] });
  });

  it('make the event log append-only', async () => {
    await t.db.query("insert into task_events (video_id, type) values ('00000000-0000-4000-8000-000000000001', 'enqueued')");
    await expect(t.db.query('update task_events set type = $1::text', ['completed'])).rejects.toThrow(/append-only/);
    await expect(t.db.query('delete from task_events')).rejects.toThrow(/append-only/);
  });
});
