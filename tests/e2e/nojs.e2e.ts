// The Generate form before and without JavaScript, in a real Chromium against `next start`: with JavaScript
// off a person generates a video, lands on its page by a 303, watches that page reload itself until the
// video is ready, and plays it once JavaScript is back; a click before the page hydrates makes a video and
// puts nothing in the URL; refusals render next to their fields; one form sent twice makes one video.
// Then, hydrated: the button says it is working, the topic counter warns instead of truncating, and the
// header keeps one row on a phone at any balance.
import type { BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeE2eSession, type E2eServer, type E2eSession, horizontalOverflow, openE2eSession, screenshot, videoIdFromUrl } from './kit';

const TOPIC = 'How do tides work';

let session: E2eSession;
let app: E2eServer;
/** JavaScript off: the browser does everything with plain HTML. */
let context: BrowserContext;
let page: Page;
let id: string;

beforeAll(async () => {
  session = await openE2eSession('nojs', { QUEUE_CONCURRENCY: '1' }, { javaScriptEnabled: false });
  ({ app, context, page } = session);
}, 600_000);

afterAll(() => closeE2eSession(session));

/** This browser's videos, as the API lists them to its owner cookie. */
async function listed(ctx: BrowserContext, topic?: string): Promise<{ id: string; topic: string; status: string }[]> {
  const res = await ctx.request.get(`${app.baseUrl}/api/videos`);
  expect(res.status()).toBe(200);
  const { videos } = (await res.json()) as { videos: { id: string; topic: string; status: string }[] };
  return topic === undefined ? videos : videos.filter((v) => v.topic === topic);
}

/** The form's POST to the home page and the answer it got (a redirect is a response of its own). */
function formPost(p: Page): Promise<Response> {
  return p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/');
}

const topicError = (p: Page) => p.locator('#field-topic-error');

describe.sequential('with JavaScript off', () => {
  it('renders the form as a POST, with this server’s options and an idempotency key, and nothing loading', async () => {
    await page.goto(app.baseUrl);
    const form = page.locator('form.generate-form');
    expect(await form.getAttribute('method')).toMatch(/^post$/i);
    expect(await form.locator('input[type="hidden"][name="idempotencyKey"]').getAttribute('value')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.locator('.options-current').textContent()).toMatch(/^Local · Ken Burns/);
    expect(await page.getByText('Loading…').count()).toBe(0);
    expect(await page.getByLabel('Language', { exact: true }).inputValue()).toBe('en');
    // "Your videos" is rendered on the server too: a first visit has none, and says so.
    expect(await page.locator('.skeleton-card').count()).toBe(0);
    expect(await page.getByText('No videos yet').count()).toBe(1);
  });

  it('shows refusals next to their fields, keeps what was typed, makes no video, and puts nothing in the URL', async () => {
    await page.goto(app.baseUrl);
    const post = formPost(page);
    await page.getByRole('button', { name: 'Generate Video' }).click();
    expect((await post).status()).toBe(200);
    await topicError(page).waitFor();
    expect(await topicError(page).textContent()).toBe('Enter a topic for your video.');
    expect(await page.getByLabel('Topic', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(new URL(page.url()).search).toBe('');

    // Pasted 5,000 characters: nothing is cut, the counter and the error say how much is over.
    const long = 'w'.repeat(5000);
    await page.getByLabel('Topic', { exact: true }).fill(long);
    await page.getByLabel('Description (optional)').fill('Keep this description');
    const post2 = formPost(page);
    await page.getByRole('button', { name: 'Generate Video' }).click();
    await post2;
    await topicError(page).waitFor();
    expect(await topicError(page).textContent()).toBe('The topic is 5,000 characters; keep it to 200 or fewer (4,800 too many).');
    expect(await page.locator('#field-topic-aside').textContent()).toBe('5000/200');
    expect((await page.getByLabel('Topic', { exact: true }).inputValue()).length).toBe(5000);
    expect(await page.getByLabel('Description (optional)').inputValue()).toBe('Keep this description');
    expect(page.url()).not.toContain('www');
    await screenshot(page, 'nojs-validation');
    expect(await listed(context)).toEqual([]);
  });

  it('generates: the POST answers 303 to the video’s page, which reloads itself until the video is ready', async () => {
    await page.goto(app.baseUrl);
    await page.getByLabel('Topic', { exact: true }).fill(TOPIC);
    await page.getByLabel('Scenes', { exact: true }).fill('1');
    const post = formPost(page);
    await page.getByRole('button', { name: 'Generate Video' }).click();
    const answer = await post;
    expect(answer.status()).toBe(303);
    expect(answer.headers().location).toMatch(/^\/videos\/[0-9a-f-]{36}$/);
    await page.waitForURL(/\/videos\/[0-9a-f-]{36}$/);
    id = videoIdFromUrl(page.url());
    expect(page.url()).not.toContain('tides');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(TOPIC);
    expect(await listed(context, TOPIC)).toHaveLength(1);

    // While it is made, the page (rendered on the server, no script) asks the browser to reload it.
    let loads = 0;
    page.on('load', () => void loads++);
    const refresh = page.locator('noscript meta[http-equiv="refresh"], meta[http-equiv="refresh"]');
    expect(await refresh.count()).toBe(1);
    expect(await refresh.getAttribute('content')).toBe('3');
    await screenshot(page, 'nojs-running');
    // The page's own reloads bring the finished state: nothing here reloads it.
    await expect.poll(async () => page.locator('.video-status .badge').first().textContent().catch(() => ''), { timeout: 150_000, interval: 500 })
      .toBe('Ready');
    expect(loads).toBeGreaterThanOrEqual(1);
    // Finished: the reloading stops, and the player is in the HTML.
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    expect(await page.locator('#player video').getAttribute('src')).toMatch(new RegExp(`^/api/files/videos/${id}/`));
    await screenshot(page, 'nojs-completed');
  });

  it('lists the video under "Your videos" on the home page, rendered on the server', async () => {
    await page.goto(app.baseUrl);
    expect(await page.locator('.skeleton-card').count()).toBe(0);
    const card = page.locator('.video-grid li', { hasText: TOPIC });
    expect(await card.count()).toBe(1);
    expect(await card.locator(`a[href="/videos/${id}"]`).count()).toBeGreaterThan(0);
  });

  it('plays once JavaScript is back on (same browser, same cookie)', async () => {
    const withJs = await session.browser.newContext({ storageState: await context.storageState(), viewport: { width: 1280, height: 900 } });
    try {
      const p = await withJs.newPage();
      await p.goto(`${app.baseUrl}/videos/${id}`);
      const video = p.locator('#player video');
      await video.waitFor();
      await video.evaluate(async (v: HTMLVideoElement) => {
        v.muted = true; // autoplay rules allow a muted play without a gesture
        await v.play();
      });
      await p.waitForFunction(() => {
        const v = document.querySelector<HTMLVideoElement>('#player video');
        return Boolean(v && v.readyState >= 2 && v.currentTime > 0.3);
      }, undefined, { timeout: 20_000 });
      expect(await video.evaluate((v: HTMLVideoElement) => v.error)).toBeNull();
    } finally {
      await withJs.close();
    }
  });

  it('cancels and retries from the video’s page, each a POST answered 303 back to it; Delete, which needs a confirmation, is hidden', async () => {
    await page.goto(app.baseUrl);
    await page.getByLabel('Topic', { exact: true }).fill('Cancel me, then carry on');
    await page.getByLabel('Scenes', { exact: true }).fill('3');
    const made = formPost(page);
    await page.getByRole('button', { name: 'Generate Video' }).click();
    expect((await made).status()).toBe(303);
    await page.waitForURL(/\/videos\/[0-9a-f-]{36}$/);
    const pagePath = new URL(page.url()).pathname;
    const pagePost = () => page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === pagePath);

    const cancelled = pagePost();
    await page.getByRole('button', { name: 'Cancel video' }).click();
    expect((await cancelled).status()).toBe(303);
    await expect.poll(() => page.locator('.video-status .badge').first().textContent(), { timeout: 10_000 }).toBe('Cancelled');
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete video' }).isVisible()).toBe(false);

    const retried = pagePost();
    await page.getByRole('button', { name: 'Retry' }).click();
    expect((await retried).status()).toBe(303);
    // Back in the queue, so the page reloads itself again until the video is ready.
    await expect.poll(async () => page.locator('.video-status .badge').first().textContent().catch(() => ''), { timeout: 150_000, interval: 500 })
      .toBe('Ready');
    expect(new URL(page.url()).pathname).toBe(pagePath);
  });

  it('makes one video from one rendered form sent twice', async () => {
    await page.goto(app.baseUrl);
    const topic = 'Why is the sea salty';
    await page.getByLabel('Topic', { exact: true }).fill(topic);
    await page.getByLabel('Scenes', { exact: true }).fill('1');
    // The form as the browser will send it, read before the first send: every field the page rendered.
    const fields: Record<string, string> = {};
    for (const input of await page.locator('form.generate-form input[type="hidden"]').all()) {
      fields[(await input.getAttribute('name'))!] = (await input.getAttribute('value')) ?? '';
    }
    expect(fields.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    Object.assign(fields, { topic, sceneCount: '1', aspectRatio: '16:9', resolution: '720p', ownScript: 'planned',
      description: '', provider: 'local', motion: 'kenburns', voice: await page.getByLabel('Voice').inputValue(), language: 'en',
      music: await page.getByLabel('Music', { exact: true }).inputValue(), musicVolume: '0.3' });

    const post = formPost(page);
    await page.getByRole('button', { name: 'Generate Video' }).click();
    const first = await post;
    expect(first.status()).toBe(303);
    await page.waitForURL(/\/videos\//);

    // The same form again, as a browser resends it (back, then submit; or a second click that got through).
    const again = await context.request.post(`${app.baseUrl}/`, {
      multipart: fields, maxRedirects: 0, headers: { origin: app.baseUrl, 'sec-fetch-site': 'same-origin' },
    });
    expect(again.status()).toBe(303);
    expect(again.headers().location).toBe(first.headers().location);
    expect(await listed(context, topic)).toHaveLength(1);
  });

  it('stops reloading while the video waits for its owner’s review', async () => {
    await page.goto(app.baseUrl);
    await page.getByLabel('Topic', { exact: true }).fill('Review it first');
    await page.getByLabel('Scenes', { exact: true }).fill('1');
    await page.getByLabel('Let me review the script before rendering').check();
    const post = formPost(page);
    await page.getByRole('button', { name: 'Generate Video' }).click();
    expect((await post).status()).toBe(303);
    await page.waitForURL(/\/videos\/[0-9a-f-]{36}$/);
    // The page's own reloads bring the review state; then it stops asking to be reloaded.
    await expect.poll(async () => page.locator('.video-status .badge').first().textContent().catch(() => ''), { timeout: 60_000, interval: 500 })
      .toBe('Awaiting your review');
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Your script is ready for review' }).count()).toBe(1);
    // Reviewing runs in the browser: without scripts its form is hidden, a note says why, and the form is a
    // POST, so an early click could never put the script's text in the URL.
    const review = page.locator('form.scene-review');
    expect(await review.isVisible()).toBe(false);
    expect((await review.getAttribute('method'))?.toLowerCase()).toBe('post');
    // Chromium with scripting switched off by the test parses <noscript> content (its <style> and <meta> take
    // effect) but keeps the element itself undisplayed, so the note is checked in the DOM, not on screen.
    expect(await page.locator('noscript p', { hasText: 'Reviewing the script needs JavaScript' }).count()).toBe(1);
  });

  it('refuses a form posted from another site with a 403 JSON error, and makes nothing', async () => {
    const before = (await listed(context)).length;
    const res = await context.request.post(`${app.baseUrl}/`, {
      multipart: { topic: 'Forged' }, maxRedirects: 0, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(res.status()).toBe(403);
    expect(await res.json()).toEqual({ error: { code: 'forbidden', message: 'This request came from another site.' } });
    expect(await listed(context)).toHaveLength(before);
  });
});

describe.sequential('with JavaScript on', () => {
  it('a click before the page hydrates still makes the video, and the topic never reaches the URL', async () => {
    const ctx = await session.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const p = await ctx.newPage();
      // The app's scripts never arrive, so the page stays as the server rendered it.
      let held = 0;
      await p.route('**/_next/static/chunks/**', (route) => {
        held++;
        return route.abort();
      });
      await p.goto(app.baseUrl);
      expect(held).toBeGreaterThan(0);
      const topic = 'Clicked before hydration';
      await p.getByLabel('Topic', { exact: true }).fill(topic);
      await p.getByLabel('Scenes', { exact: true }).fill('1');
      const post = formPost(p);
      await p.getByRole('button', { name: 'Generate Video' }).click();
      expect((await post).status()).toBe(303);
      await p.waitForURL(/\/videos\/[0-9a-f-]{36}$/);
      const url = new URL(p.url());
      expect(url.search).toBe('');
      expect(decodeURIComponent(p.url())).not.toContain(topic);
      expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe(topic);
      const mine = await listed(ctx, topic);
      expect(mine.map((v) => v.id)).toEqual([videoIdFromUrl(p.url())]);
    } finally {
      await ctx.close();
    }
  });

  it('hydrated, posts JSON and shows it is working while the request is in flight', async () => {
    const ctx = await session.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const p = await ctx.newPage();
      await p.goto(app.baseUrl);
      // Hydrated: the videos list has answered, which only the client does.
      await p.getByText('No videos yet').waitFor();
      // The generate call waits until the button has been looked at.
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const seen: string[] = [];
      await p.route('**/api/video/generate', async (route) => {
        seen.push(route.request().headers()['content-type'] ?? '');
        await released;
        await route.continue();
      });
      await p.getByLabel('Topic', { exact: true }).fill('Hydrated and working');
      await p.getByLabel('Scenes', { exact: true }).fill('1');
      await p.getByRole('button', { name: 'Generate Video' }).click();
      const button = p.locator('form.generate-form button[type="submit"]');
      await expect.poll(() => button.getAttribute('aria-busy')).toBe('true');
      expect(await button.isDisabled()).toBe(true);
      expect((await button.textContent())?.trim()).toBe('Generating…');
      expect(seen).toEqual(['application/json']);
      release();
      await p.waitForURL(/\/videos\/[0-9a-f-]{36}$/);
      expect(new URL(p.url()).search).toBe('');
    } finally {
      await ctx.close();
    }
  });

  it('the topic counter appears near the limit and turns into an error over it, never truncating', async () => {
    const ctx = await session.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const p = await ctx.newPage();
      await p.goto(app.baseUrl);
      await p.getByText('No videos yet').waitFor();
      const topic = p.getByLabel('Topic', { exact: true });
      await topic.fill('a'.repeat(150));
      expect(await p.locator('#field-topic-aside').count()).toBe(0);
      await topic.fill('a'.repeat(180));
      expect(await p.locator('#field-topic-aside').textContent()).toBe('180/200');
      expect(await topicError(p).count()).toBe(0);
      await topic.fill('b'.repeat(5000));
      expect((await topic.inputValue()).length).toBe(5000);
      expect(await p.locator('#field-topic-aside .count-over').textContent()).toBe('5000/200');
      expect(await topicError(p).textContent()).toBe('The topic is 5,000 characters; keep it to 200 or fewer (4,800 too many).');
      expect(await topic.getAttribute('aria-invalid')).toBe('true');
    } finally {
      await ctx.close();
    }
  });

  it('keeps the header to one row on a 390 px phone at every balance', async () => {
    const ctx = await session.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
    try {
      const p = await ctx.newPage();
      // The balance is the server's answer to /api/me; each count is served to the page as that answer.
      let balance = 0;
      await p.route('**/api/me', (route) => route.fulfill({ json: { balance, tier: 'standard', webhooks: null } }));
      const rows: { balance: number; height: number; tops: number[]; text: string }[] = [];
      for (balance of [5, 95, 100, 1000, 100000]) {
        await p.goto(app.baseUrl);
        const credit = p.locator('.credit-balance');
        await credit.waitFor();
        const boxes = await Promise.all([p.locator('.site-header .brand'), credit, p.locator('.site-header .nav-link')].map((l) => l.boundingBox()));
        const header = await p.locator('.site-header').boundingBox();
        rows.push({
          balance,
          height: Math.round(header!.height),
          // Each item's vertical middle: one row means they share it.
          tops: boxes.map((b) => Math.round(b!.y + b!.height / 2)),
          text: ((await credit.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
        });
        expect(await horizontalOverflow(p)).toBe(0);
        if (balance === 100000) await screenshot(p, 'phone-header-100000', { fullPage: false });
      }
      const oneRow = rows[0]!.height;
      for (const r of rows) {
        expect(r.height, JSON.stringify(r)).toBe(oneRow);
        expect(Math.max(...r.tops) - Math.min(...r.tops), JSON.stringify(r)).toBeLessThanOrEqual(2);
      }
      expect(oneRow).toBeLessThan(70);
      expect(rows.map((r) => r.text.replace(/^Credit balance: /, ''))).toEqual(['5 credits', '95 credits', '100 credits', '1,000 credits', '100K credits']);
    } finally {
      await ctx.close();
    }
  });
});
