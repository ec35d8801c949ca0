// The Generate form's Server Action (what a browser posts before hydration or without JavaScript) against
// a real PostgreSQL: the same checks, credits, limits and idempotency as POST /api/video/generate, the
// same owner cookie and cross-site rule, a redirect to the video's page, and errors placed on their fields.
// Next.js's request scope (headers(), cookies()) is stood in for; everything of ours runs for real.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { OWNER_COOKIE } from '@/lib/auth/owner';
import { initialFormState, type GenerateFormState } from '@/components/generate-submission';
import { actionOutcome } from '../helpers/actions';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { ownerCookie } from '../helpers/http';

const request = vi.hoisted(() => ({ headers: new Headers(), setCookies: [] as { name: string; value: string; options: unknown }[] }));
vi.mock('next/headers', () => ({
  headers: async () => request.headers,
  cookies: async () => ({ set: (name: string, value: string, options: unknown) => void request.setCookies.push({ name, value, options }) }),
}));

const { generateFromForm } = await import('@/app/actions/generate');

let t: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db);
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});
beforeEach(async () => {
  await t.db.query('truncate videos, tasks cascade');
  app.kicks.length = 0;
  request.setCookies.length = 0;
});

function browser(cookie: string | null, extra: Record<string, string> = {}): void {
  request.headers = new Headers({
    host: 'localhost:3000', 'x-forwarded-proto': 'http', origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin',
    ...(cookie ? { cookie } : {}), ...extra,
  });
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  // What the page renders by default, then the test's own fields.
  const all = { topic: '', description: '', ownScript: 'planned', sceneCount: '2', aspectRatio: '16:9', resolution: '720p',
    provider: 'local', motion: 'kenburns', voice: 'ava', language: 'en', music: 'none', ...fields };
  for (const [k, v] of Object.entries(all)) data.append(k, v);
  // Next.js's own fields travel in the same body and must be ignored.
  data.append('$ACTION_KEY', 'k0123');
  return data;
}

/** Runs the action: the page it redirects to, or the state it renders the form again with. */
function submit(data: FormData): Promise<{ redirect: string } | { state: GenerateFormState }> {
  return actionOutcome(() => generateFromForm(initialFormState, data));
}

async function videos() {
  return (await t.db.query<{ id: string; owner_id: string; topic: string; scene_count: number }>(
    'select id, owner_id, topic, scene_count from videos order by created_at')).rows;
}

describe('the Generate form posted without JavaScript', () => {
  it('creates the video as the cookie’s owner, queues it, and redirects to its page', async () => {
    const { cookie, ownerId } = ownerCookie();
    browser(cookie);
    const res = await submit(form({ topic: '  How do bees make honey  ', idempotencyKey: 'form-1' }));
    const rows = await videos();
    expect(rows).toEqual([{ id: expect.any(String), owner_id: ownerId, topic: 'How do bees make honey', scene_count: 2 }]);
    expect(res).toEqual({ redirect: `/videos/${rows[0]!.id}` });
    expect(app.kicks).toEqual([1]);
    const balance = await t.db.query<{ balance: number }>('select balance from owners where id = $1', [ownerId]);
    expect(balance.rows[0]!.balance).toBeLessThan(100);
  });

  it('makes one video from a form sent twice: the second answer is the first video', async () => {
    const { cookie } = ownerCookie();
    browser(cookie);
    const first = await submit(form({ topic: 'Tides', idempotencyKey: 'form-twice' }));
    const second = await submit(form({ topic: 'Tides', idempotencyKey: 'form-twice' }));
    expect(second).toEqual(first);
    expect(await videos()).toHaveLength(1);
    // A new render of the form carries a new key, and makes a new video.
    await submit(form({ topic: 'Tides', idempotencyKey: 'form-again' }));
    expect(await videos()).toHaveLength(2);
  });

  it('says in words what to do when the same form comes back with other values, and makes nothing more', async () => {
    browser(ownerCookie().cookie);
    await submit(form({ topic: 'Tides', idempotencyKey: 'form-edited' }));
    const edited = await submit(form({ topic: 'Waves', idempotencyKey: 'form-edited' }));
    expect(edited).toEqual({ state: expect.objectContaining({ formError: expect.stringMatching(/^This form was already sent with other values\. Reload/) }) });
    expect((await videos()).map((v) => v.topic)).toEqual(['Tides']);
  });

  it('places the problems on their fields, keeps what was typed, and makes nothing', async () => {
    browser(ownerCookie().cookie);
    const empty = await submit(form({ topic: '   ', idempotencyKey: 'e1' }));
    expect(empty).toEqual({ state: expect.objectContaining({ errors: { topic: 'Enter a topic for your video.' } }) });
    const long = await submit(form({ topic: 'x'.repeat(5000), description: 'Keep me', idempotencyKey: 'e2' }));
    expect(long).toEqual({ state: expect.objectContaining({
      errors: { topic: 'The topic is 5,000 characters; keep it to 200 or fewer (4,800 too many).' },
      values: expect.objectContaining({ topic: 'x'.repeat(5000), description: 'Keep me' }),
    }) });
    // What only the API's schema and the server's providers know, in the same words the JSON route uses.
    const bogus = await submit(form({ topic: 'Bees', provider: 'bogus', idempotencyKey: 'e3' }));
    expect(bogus).toEqual({ state: expect.objectContaining({ errors: { provider: expect.stringMatching(/expected one of/i) } }) });
    const unavailable = await submit(form({ topic: 'Bees', provider: 'openai', voice: 'alloy', idempotencyKey: 'e4' }));
    expect(unavailable).toEqual({ state: expect.objectContaining({ errors: { provider: expect.stringMatching(/OpenAI/) } }) });
    expect(await videos()).toEqual([]);
  });

  it('spends credits as the API does: a video the balance cannot pay for is refused', async () => {
    const poor = await createTestApp(t.db, { env: { STARTING_CREDITS: '1' } });
    try {
      browser(ownerCookie().cookie);
      const res = await submit(form({ topic: 'Expensive', sceneCount: '12', idempotencyKey: 'c1' }));
      expect(res).toEqual({ state: expect.objectContaining({ formError: expect.stringMatching(/credits/) }) });
      expect(await videos()).toEqual([]);
    } finally {
      await poor.cleanup();
      app = await createTestApp(t.db);
    }
  });

  it('counts against the generate rate limit like the JSON route', async () => {
    const limited = await createTestApp(t.db, { env: { RATE_LIMIT_GENERATE_PER_MINUTE: '1' } });
    try {
      browser(ownerCookie().cookie);
      expect(await submit(form({ topic: 'One', idempotencyKey: 'r1' }))).toHaveProperty('redirect');
      const second = await submit(form({ topic: 'Two', idempotencyKey: 'r2' }));
      expect(second).toEqual({ state: expect.objectContaining({ formError: expect.stringMatching(/too many|limit/i) }) });
      expect(await videos()).toHaveLength(1);
    } finally {
      await limited.cleanup();
      app = await createTestApp(t.db);
    }
  });

  it('refuses a post from another site, and makes nothing', async () => {
    const { cookie } = ownerCookie();
    const hostile: Record<string, string>[] = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }];
    for (const extra of hostile) {
      browser(cookie, extra);
      const res = await submit(form({ topic: 'Forged', idempotencyKey: `x-${Object.keys(extra)[0]}` }));
      expect(res).toEqual({ state: expect.objectContaining({ formError: expect.stringMatching(/another site|may not change anything/) }) });
    }
    expect(await videos()).toEqual([]);
  });

  it('refuses a tampered idempotency key rather than making a video without one', async () => {
    browser(ownerCookie().cookie);
    const res = await submit(form({ topic: 'Bees', idempotencyKey: 'has space' }));
    expect(res).toEqual({ state: expect.objectContaining({ formError: expect.stringMatching(/reload the page/) }) });
    expect(await videos()).toEqual([]);
  });

  it('issues the owner cookie when the request holds none, and the video is that owner’s', async () => {
    browser(null);
    const res = await submit(form({ topic: 'First visit', idempotencyKey: 'n1' }));
    expect(res).toHaveProperty('redirect');
    expect(request.setCookies).toEqual([{ name: OWNER_COOKIE, value: expect.stringMatching(/^anon_/), options: expect.objectContaining({ httpOnly: true, sameSite: 'lax' }) }]);
    expect((await videos())[0]!.owner_id).toBe(request.setCookies[0]!.value.split('.')[0]);
  });
});
