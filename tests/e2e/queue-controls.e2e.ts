// With the in-process scheduler off, nothing runs until someone processes a task, so the page can be
// watched in one known state at a time: notification permission asked only from a click, polling that
// slows down in a background tab and resumes at once, the operator's "Process next task" moving the
// video on, the time-left estimate, and the running page on a phone-sized screen.
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEta } from '@/components/format';
import {
  apiGenerate, apiStatus, closeE2eSession, type E2eServer, type E2eSession, horizontalOverflow, openE2eSession, readRecording, screenshot,
} from './kit';

const TOPIC = 'Why the sky is blue';
const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

let session: E2eSession;
let app: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let id: string;

beforeAll(async () => {
  // No notification permission granted: the browser would have to ask.
  session = await openE2eSession('manual', { SCHEDULER: 'off', ADMIN_TOKEN });
  ({ app, browser, context, page } = session);
  id = await apiGenerate(context, app.baseUrl, { topic: TOPIC, sceneCount: 2 });
}, 600_000);

afterAll(() => closeE2eSession(session));

const isStatusPoll = (r: Request) => r.method() === 'GET' && new URL(r.url()).pathname === `/api/video/status/${id}`;

/** Pretends the tab went to the background (or came back): what the browser reports, and its event. */
async function setHidden(p: Page, hidden: boolean): Promise<void> {
  await p.evaluate((h) => {
    if (h) {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    } else {
      // Drop the overrides: the real (visible) values show through again.
      delete (document as unknown as { visibilityState?: string }).visibilityState;
      delete (document as unknown as { hidden?: boolean }).hidden;
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

describe.sequential('a queued video, driven one step at a time', () => {
  it('asks for notification permission only when "Notify me when it’s ready" is pressed', async () => {
    await page.goto(`${app.baseUrl}/videos/${id}`);
    await page.getByRole('progressbar', { name: 'Video progress' }).waitFor();
    const notify = page.getByRole('button', { name: 'Notify me when it’s ready' });
    await notify.waitFor();
    expect(await page.evaluate(() => Notification.permission)).toBe('default');
    // Loaded, hydrated and polling, and no prompt.
    await page.waitForRequest(isStatusPoll);
    expect((await readRecording(page)).permissionRequests).toEqual([]);
    await screenshot(page, 'status-queued');

    await notify.click();
    await expect.poll(async () => (await readRecording(page)).permissionRequests.length).toBe(1);
    // Not granted (the prompt waits for an answer, or was turned down), so the notice stays off, and the
    // page says what is going on.
    await expect.poll(() => page.locator('.notify-status').textContent()).toMatch(/browser is asking|weren’t allowed|blocked/);
    expect(await notify.getAttribute('aria-pressed')).toBe('false');
  });

  it('polls every second while visible, every 10 s in a background tab, and at once when back', async () => {
    const times: number[] = [];
    const onRequest = (r: Request) => {
      if (isStatusPoll(r)) times.push(Date.now());
    };
    page.on('request', onRequest);
    try {
      await expect.poll(() => times.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
      const visibleGaps = times.slice(1).map((t, i) => t - times[i]!);
      expect(Math.max(...visibleGaps)).toBeLessThan(2_000);

      await setHidden(page, true);
      const hiddenAt = Date.now();
      await page.waitForRequest(isStatusPoll, { timeout: 20_000 });
      const hiddenGap = Date.now() - hiddenAt;
      expect(hiddenGap).toBeGreaterThanOrEqual(8_000);
      expect(hiddenGap).toBeLessThan(13_000);
      // The title and favicon keep showing the progress while hidden.
      expect(await page.title()).toMatch(/^0% · .+ — Cueframe$/);

      await setHidden(page, false);
      const shownAt = Date.now();
      await page.waitForRequest(isStatusPoll, { timeout: 5_000 });
      expect(Date.now() - shownAt).toBeLessThan(1_500);
      // And the one-second pace is back.
      const resumedAt = Date.now();
      await page.waitForRequest(isStatusPoll, { timeout: 5_000 });
      expect(Date.now() - resumedAt).toBeLessThan(2_500);
    } finally {
      page.off('request', onRequest);
    }
  });

  it('revalidates rather than refetches: polls of an unchanged video send If-None-Match and receive no body', async () => {
    const seen: Array<Promise<{ ifNoneMatch: string | undefined; bodyBytes: number }>> = [];
    const onFinished = (r: Request) => {
      if (!isStatusPoll(r)) return;
      seen.push(Promise.all([r.allHeaders(), r.sizes()]).then(([h, sizes]) => ({ ifNoneMatch: h['if-none-match'], bodyBytes: sizes.responseBodySize })));
    };
    page.on('requestfinished', onFinished);
    try {
      await expect.poll(() => seen.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    } finally {
      page.off('requestfinished', onFinished);
    }
    const polls = await Promise.all(seen);
    // The browser sends the tag it holds; the server's 304 carries no body, and the browser hands the
    // page its stored copy (Chromium reports that to the page as a 200).
    expect(polls.every((p) => /^"[\w-]+"$/.test(p.ifNoneMatch ?? ''))).toBe(true);
    expect(polls.map((p) => p.bodyBytes)).toEqual(polls.map(() => 0));
    expect(await page.title()).toMatch(/^0% · .+ — Cueframe$/);
    await page.getByRole('progressbar', { name: 'Video progress' }).waitFor();
  });

  it('shows no time left while the queue has measured nothing', async () => {
    const api = await apiStatus(context, app.baseUrl, id);
    expect(api.status).toBe('queued');
    expect(api).toHaveProperty('etaMs', null);
    expect(await page.locator('.render-eta').count()).toBe(0);
  });

  it('the admin "Process next task" button runs the next step, and the video page moves on', async () => {
    const admin = await context.newPage();
    try {
      await admin.goto(`${app.baseUrl}/admin`);
      await admin.getByLabel('Admin token').fill(ADMIN_TOKEN);
      await admin.getByRole('button', { name: 'Sign in' }).click();
      const processNext = admin.getByRole('button', { name: 'Process next task' });
      await processNext.click();
      const result = admin.locator('.admin-result').filter({ has: admin.locator('.admin-processed') });
      await result.waitFor({ timeout: 60_000 });
      expect(await result.locator('.admin-processed').textContent()).toMatch(/Plan/i);
      expect(await result.locator('.admin-ok').textContent()).toBe('completed');
      await screenshot(admin, 'admin-processed');
    } finally {
      await admin.close();
    }

    // The plan is written: the status page shows the scenes and the progress has moved.
    await page.getByRole('heading', { level: 2, name: 'Rendering scenes: 0 of 2 done' }).waitFor();
    expect(Number(await page.getByRole('progressbar', { name: 'Video progress' }).getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    expect(await page.locator('.scene-list .badge').allTextContents()).toEqual(['Pending', 'Pending']);
    const rec = await readRecording(page);
    expect(rec.progress[0]).toBe(0);
    expect(rec.progress.at(-1)).toBeGreaterThan(0);
  });

  it('estimates the time left from the step the queue has now measured', async () => {
    await expect.poll(async () => (await apiStatus(context, app.baseUrl, id)).etaMs).toBeGreaterThan(0);
    const etaMs = (await apiStatus(context, app.baseUrl, id)).etaMs!;
    const text = formatEta(etaMs);
    expect(text).toMatch(/^About \d/);
    await expect.poll(() => page.locator('.render-eta').textContent()).toBe(text);
    await screenshot(page, 'status-running-eta');
  });

  it('fits a phone-sized screen while running', async () => {
    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      storageState: await context.storageState(),
    });
    try {
      const p = await phone.newPage();
      await p.goto(`${app.baseUrl}/videos/${id}`);
      await p.getByRole('progressbar', { name: 'Video progress' }).waitFor();
      await p.locator('.scene-list').waitFor();
      expect(await horizontalOverflow(p)).toBe(0);
      const notify = await p.getByRole('button', { name: 'Notify me when it’s ready' }).boundingBox();
      expect(notify!.width).toBeGreaterThan(250);
      await screenshot(p, 'phone-status-running');
    } finally {
      await phone.close();
    }
  });
});
