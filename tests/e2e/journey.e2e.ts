// The main journey in a real browser, on `next start` with the embedded defaults and the in-process
// scheduler: type a topic (keyboard only, fields found by their labels), press Generate Video, leave for
// the home page and come back through "Your videos", watch the progress, the scenes, the tab title and
// favicon move, get told when it is done, play it, download it, and find it again, on a phone too.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiStatus, ARTIFACTS, closeE2eSession, type E2eServer, type E2eSession, horizontalOverflow, openE2eSession, readRecording, screenshot, videoIdFromUrl,
} from './kit';

const TOPIC = 'How do bees make honey';
// The local provider narrates the first sentence of the description in scene 1: a longer scene, so the
// video takes several seconds to render and there is time to leave and come back while it does.
const DESCRIPTION =
  'Forager bees collect nectar from flowers, carry it home in a honey stomach, and pass it to house bees who fan it with their wings until it thickens.';

let session: E2eSession;
let app: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let id: string;
let originalIcon: string | null;

beforeAll(async () => {
  // One step at a time, so each scene's progress shows for a while (the default runs two at once).
  session = await openE2eSession('journey', { QUEUE_CONCURRENCY: '1' }, { permissions: ['notifications'] });
  ({ app, browser, context, page } = session);
}, 600_000);

afterAll(() => closeE2eSession(session));

const progressBar = () => page.getByRole('progressbar', { name: 'Video progress' });
const activeId = () => page.evaluate(() => document.activeElement?.id ?? '');

describe.sequential('generate a video and come back to it', () => {
  it('fills the form by keyboard, with every field labelled, and Generate Video opens the video page', async () => {
    await page.goto(app.baseUrl);
    await expect.poll(() => page.getByText('No videos yet').isVisible()).toBe(true);
    originalIcon = await page.locator('link[rel~="icon"]').first().getAttribute('href');
    expect(originalIcon).toMatch(/^\/icon\.svg/);

    // Every control in the form has a label the browser associates with it.
    const unlabelled = await page.locator('form.generate-form').evaluate((form) =>
      // Hidden inputs carry what the form sends without being shown (its idempotency key); nothing labels them.
      [...form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input:not([type="hidden"]), select, textarea')]
        .filter((el) => !el.labels || el.labels.length === 0)
        .map((el) => el.name || el.id),
    );
    expect(unlabelled).toEqual([]);

    // Enter on an empty topic: the error is shown, tied to the field, and the focus stays there.
    const topic = page.getByLabel('Topic', { exact: true });
    await topic.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText('Enter a topic for your video.').isVisible()).toBe(true);
    expect(await topic.getAttribute('aria-invalid')).toBe('true');
    expect(await topic.getAttribute('aria-describedby')).toContain('field-topic-error');
    expect(await activeId()).toBe('field-topic');
    await screenshot(page, 'home-validation');

    await page.keyboard.type(TOPIC);
    expect(await topic.getAttribute('aria-invalid')).toBeNull();
    // The language (from the server's capabilities), then who writes the script: one stop for the radio pair.
    await page.keyboard.press('Tab');
    expect(await activeId()).toBe('field-language');
    await page.keyboard.press('Tab');
    expect(await activeId()).toBe('script-mode-planned');
    await page.keyboard.press('Tab');
    expect(await activeId()).toBe('field-description');
    await page.keyboard.type(DESCRIPTION);
    await page.keyboard.press('Tab');
    expect(await activeId()).toBe('field-sceneCount');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('2');
    expect(await page.getByLabel('Scenes', { exact: true }).inputValue()).toBe('2');

    // Tab on to the button, through the remaining fields in page order.
    const passed: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const label = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el?.id || el?.textContent?.trim() || el?.tagName || '';
      });
      passed.push(label);
      if (label === 'Generate Video') break;
    }
    expect(passed.slice(0, 2)).toEqual(['field-aspectRatio', 'field-resolution']);
    expect(passed.at(-1)).toBe('Generate Video');
    await screenshot(page, 'home-filled');
    await page.keyboard.press('Enter');

    await page.waitForURL(/\/videos\/[0-9a-f-]{36}$/);
    id = videoIdFromUrl(page.url());
    await progressBar().waitFor();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: TOPIC }).isVisible()).toBe(true);

    // The bar speaks: a name, a range, a value, and what is happening in words.
    const bar = progressBar();
    expect(await bar.getAttribute('aria-valuemin')).toBe('0');
    expect(await bar.getAttribute('aria-valuemax')).toBe('100');
    const now = Number(await bar.getAttribute('aria-valuenow'));
    expect(now).toBeGreaterThanOrEqual(0);
    expect(now).toBeLessThan(100);
    expect(await bar.getAttribute('aria-valuetext')).toMatch(new RegExp(`^\\d{1,2}% · \\S`));
    await screenshot(page, 'status-running');

    // Permission is already granted in this context: the button turns the notice on without asking.
    const notify = page.getByRole('button', { name: 'Notify me when it’s ready' });
    expect(await notify.getAttribute('aria-pressed')).toBe('false');
    await notify.click();
    await expect.poll(() => notify.getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByText('We’ll send a notification when it’s ready').isVisible()).toBe(true);
  });

  it('leaves for the home page and comes back through "Your videos" while it renders', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your videos' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    const card = page.locator('.video-card', { hasText: TOPIC });
    await card.waitFor();
    expect(await card.count()).toBe(1);
    await screenshot(page, 'home-while-rendering');

    await card.getByRole('link').click();
    await page.waitForURL((u) => u.pathname === `/videos/${id}`);
    // Still running when we are back (if not, the video rendered faster than a page visit: pace it slower).
    await progressBar().waitFor();
    // The notice asked for before leaving is remembered.
    await expect
      .poll(() => page.getByRole('button', { name: 'Notify me when it’s ready' }).getAttribute('aria-pressed'))
      .toBe('true');
  });

  it('shows the progress move, the scenes render, the title and favicon follow, and says when it is done', async () => {
    const toast = page.locator('.toast-region[role="status"]').getByText('Your video is ready');
    await toast.waitFor({ timeout: 150_000 });
    await page.locator('#player video').waitFor();
    await screenshot(page, 'status-completed-toast', { fullPage: false });
    // The notice sits above the player: it covers neither the picture nor the controls along its bottom.
    const [notice, player] = await Promise.all([page.locator('.toast').boundingBox(), page.locator('#player video').boundingBox()]);
    expect(notice && player).toBeTruthy();
    expect(notice!.y + notice!.height).toBeLessThanOrEqual(player!.y);

    // Both scene chips say Rendered, and they did not start that way.
    const chips = page.locator('.scene-list .badge');
    expect(await chips.allTextContents()).toEqual(['Rendered', 'Rendered']);

    const rec = await readRecording(page);
    // The progress went up, step by step, never down.
    expect(rec.progress.length).toBeGreaterThanOrEqual(2);
    expect(rec.progress).toEqual([...rec.progress].sort((a, b) => a - b));
    expect(new Set(rec.progress).size).toBeGreaterThanOrEqual(2);
    expect(rec.rendered.at(-1)).toBe(2);
    expect(Math.min(...rec.rendered)).toBeLessThan(2);

    // The tab title carried the percentage and the step while running, and says Ready now.
    expect(rec.title.some((t) => /^\d{1,2}% · Rendering scenes: [01] of 2 done — Cueframe$/.test(t))).toBe(true);
    expect(await page.title()).toBe(`✓ Ready — ${TOPIC}`);

    // The favicon was a progress ring while running and is the app's icon again now.
    const rings = rec.icon.filter((h): h is string => Boolean(h?.startsWith('data:image/svg+xml,')));
    expect(rings.length).toBeGreaterThanOrEqual(2);
    // The page now opens on the state the server rendered, often 0% (a ring with no arc yet); the arc follows.
    expect(rings.some((r) => decodeURIComponent(r).includes('stroke-dasharray'))).toBe(true);
    expect(await page.locator('link[rel~="icon"]').first().getAttribute('href')).toBe(originalIcon);
    expect(rec.icon.at(-1)).toBe(originalIcon);

    // A browser notification, without ever prompting (permission was granted before).
    expect(rec.notifications).toEqual([{ title: 'Your video is ready', body: TOPIC }]);
    expect(rec.permissionRequests).toEqual([]);

    // "Watch" takes the person to the player and closes the notice.
    await page.locator('.toast').getByRole('button', { name: 'Watch' }).click();
    await expect.poll(() => page.locator('.toast').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('VIDEO');
  });

  it('plays: the <video> loads its metadata and lasts as long as the API says', async () => {
    const api = await apiStatus(context, app.baseUrl, id);
    expect(api.status).toBe('completed');
    expect(api.durationMs).toBeGreaterThan(3_000);
    const video = page.locator('#player video');
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('#player video')?.readyState ?? 0) >= 1);
    const seconds = await video.evaluate((v: HTMLVideoElement) => v.duration);
    expect(Math.abs(seconds * 1000 - api.durationMs!)).toBeLessThanOrEqual(300);
    expect(await video.evaluate((v: HTMLVideoElement) => [v.videoWidth, v.videoHeight])).toEqual([api.width, api.height]);
    await screenshot(page, 'status-completed');
  });

  it('downloads the MP4', async () => {
    const link = page.getByRole('link', { name: 'Download MP4' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    // Named after the topic by the server's Content-Disposition, which wins over the link's attribute.
    expect(download.suggestedFilename()).toBe('how-do-bees-make-honey.mp4');
    const file = path.join(ARTIFACTS, 'download.mp4');
    await fs.mkdir(ARTIFACTS, { recursive: true });
    await download.saveAs(file);
    const bytes = await fs.readFile(file);
    expect(bytes.length).toBeGreaterThan(10_000);
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');

    const res = await context.request.get(new URL((await link.getAttribute('href'))!, app.baseUrl).toString());
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('video/mp4');
    expect(res.headers()['content-disposition']).toMatch(/^attachment;.*\.mp4/);
    expect(Buffer.from(await res.body()).equals(bytes)).toBe(true);
  });

  it('finds the finished video under "Your videos", on a phone-sized screen too', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your videos' }).click();
    const card = page.locator('.video-card', { hasText: TOPIC });
    await expect.poll(() => card.locator('.badge').textContent()).toBe('Ready');
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.video-card .thumb img');
      return Boolean(img?.complete && img.naturalWidth > 0);
    });
    await screenshot(page, 'home-finished');

    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      storageState: await context.storageState(),
    });
    try {
      const p = await phone.newPage();
      await p.goto(app.baseUrl);
      // The poster loads lazily: scroll to the card, as a person would.
      await p.locator('.video-card', { hasText: TOPIC }).scrollIntoViewIfNeeded();
      await p.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('.video-card .thumb img');
        return Boolean(img?.complete && img.naturalWidth > 0);
      });
      expect(await horizontalOverflow(p)).toBe(0);
      // Back to the top, so the sticky header sits where it belongs in the full-page screenshot.
      await p.evaluate(() => window.scrollTo(0, 0));
      // The main button spans the screen on a phone.
      const button = await p.getByRole('button', { name: 'Generate Video' }).boundingBox();
      expect(button!.width).toBeGreaterThan(280);
      await screenshot(p, 'phone-home');

      await p.goto(`${app.baseUrl}/videos/${id}`);
      await p.locator('#player video').waitFor();
      await p.waitForFunction(() => (document.querySelector<HTMLVideoElement>('#player video')?.readyState ?? 0) >= 1);
      expect(await horizontalOverflow(p)).toBe(0);
      const frame = await p.locator('.player-frame').boundingBox();
      expect(frame!.width).toBeLessThanOrEqual(360);
      expect(frame!.width).toBeGreaterThan(300);
      await screenshot(p, 'phone-status-completed');
    } finally {
      await phone.close();
    }
  });

  it('deletes the video after asking: back home, gone from "Your videos", its file no longer served', async () => {
    await page.goto(`${app.baseUrl}/videos/${id}`);
    const href = await page.getByRole('link', { name: 'Download MP4' }).getAttribute('href');
    const dialogs: string[] = [];
    // Dismissed first: nothing happens. Then accepted.
    page.once('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
    await page.getByRole('button', { name: 'Delete video' }).click();
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toContain(TOPIC);
    expect((await context.request.get(new URL(href!, app.baseUrl).toString())).status()).toBe(200);

    page.once('dialog', (d) => void (dialogs.push(d.message()), d.accept()));
    await page.getByRole('button', { name: 'Delete video' }).click();
    await page.waitForURL(`${app.baseUrl}/`);
    await expect.poll(() => page.locator('.video-card', { hasText: TOPIC }).count()).toBe(0);
    await page.evaluate(() => window.scrollTo(0, 0)); // the sticky header belongs at the top of a full-page shot
    await screenshot(page, 'home-after-delete');
    // Its files go right after the answer.
    await expect.poll(async () => (await context.request.get(new URL(href!, app.baseUrl).toString())).status()).toBe(404);
    await page.goto(`${app.baseUrl}/videos/${id}`);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Video not found' }).isVisible()).toBe(true);
  });
});
