// The video page's Cancel and Retry as a Server Action (what a browser posts before hydration or without
// JavaScript) against a real PostgreSQL: the same owner filter, cross-site rule and effects as the JSON
// routes, a redirect back to the page, and a refusal rendered as words. Next.js's request scope
// (headers(), cookies()) is stood in for; everything of ours runs for real.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { initialFormState } from '@/components/generate-submission';
import { actionOutcome } from '../helpers/actions';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { ownerCookie } from '../helpers/http';

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock('next/headers', () => ({
  headers: async () => request.headers,
  cookies: async () => ({ set: () => undefined }),
}));

const { generateFromForm } = await import('@/app/actions/generate');
const { controlFromForm } = await import('@/app/actions/video');

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
});

function browser(cookie: string, extra: Record<string, string> = {}): void {
  request.headers = new Headers({
    host: 'localhost:3000', 'x-forwarded-proto': 'http', origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin', cookie, ...extra,
  });
}

async function generate(): Promise<string> {
  const data = new FormData();
  const fields = { topic: 'Tides', description: '', ownScript: 'planned', sceneCount: '1', aspectRatio: '16:9', resolution: '720p',
    provider: 'local', motion: 'kenburns', voice: 'ava', language: 'en', music: 'none', idempotencyKey: crypto.randomUUID() };
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  const res = await actionOutcome(() => generateFromForm(initialFormState, data));
  if (!('redirect' in res)) throw new Error(`generate refused: ${JSON.stringify(res.state)}`);
  return res.redirect.split('/').pop()!;
}

function control(videoId: string, action: string): FormData {
  const data = new FormData();
  data.append('videoId', videoId);
  data.append('action', action);
  return data;
}

const statusOf = async (id: string) =>
  (await t.db.query<{ status: string }>('select status from videos where id = $1::uuid', [id])).rows[0]!.status;

describe('Cancel and Retry posted without JavaScript', () => {
  it('cancels the owner’s video and retries it, each time back to its page, and kicks the queue for the retry', async () => {
    const owner = ownerCookie();
    browser(owner.cookie);
    const id = await generate();
    app.kicks.length = 0;

    expect(await actionOutcome(() => controlFromForm({ error: null }, control(id, 'cancel')))).toEqual({ redirect: `/videos/${id}` });
    expect(await statusOf(id)).toBe('cancelled');
    expect(app.kicks).toEqual([]);

    expect(await actionOutcome(() => controlFromForm({ error: null }, control(id, 'retry')))).toEqual({ redirect: `/videos/${id}` });
    expect(await statusOf(id)).toBe('queued');
    expect(app.kicks).toEqual([1]);
  });

  it('does not touch another owner’s video: it is "not found", as the routes say', async () => {
    browser(ownerCookie().cookie);
    const id = await generate();
    browser(ownerCookie().cookie);
    expect(await actionOutcome(() => controlFromForm({ error: null }, control(id, 'cancel')))).toEqual({ state: { error: 'No video with this id.' } });
    expect(await statusOf(id)).toBe('queued');
  });

  it('refuses a post from another site, and changes nothing', async () => {
    const owner = ownerCookie();
    browser(owner.cookie);
    const id = await generate();
    browser(owner.cookie, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(await actionOutcome(() => controlFromForm({ error: null }, control(id, 'cancel')))).toEqual({ state: { error: 'This request came from another site.' } });
    expect(await statusOf(id)).toBe('queued');
  });

  it('says why when the video cannot take the action, or the form is not one of ours, and changes nothing', async () => {
    const owner = ownerCookie();
    browser(owner.cookie);
    const id = await generate();
    const retry = await actionOutcome(() => controlFromForm({ error: null }, control(id, 'retry')));
    expect(retry).toEqual({ state: { error: 'Only a failed or cancelled video can be retried; this one is queued.' } });
    expect(await actionOutcome(() => controlFromForm({ error: null }, control(id, 'delete')))).toEqual({
      state: { error: 'This form is out of date: reload the page and try again.' },
    });
    expect(await actionOutcome(() => controlFromForm({ error: null }, control('not-a-uuid', 'cancel')))).toEqual({ state: { error: 'No video with this id.' } });
    expect(await statusOf(id)).toBe('queued');
  });
});
