// The person who writes their own words: a two-paragraph script in Spanish, reviewed before anything renders,
// one scene edited, approved, watched (and heard: the MP4 speaks), then shared by a public link that a
// stranger's browser can open, until the owner stops sharing it and the link answers 404 at once.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureSpeech } from '../helpers/speech-measure';
import { apiStatus, closeE2eSession, type E2eServer, type E2eSession, openE2eSession, screenshot, videoIdFromUrl } from './kit';

const TOPIC = 'Las mareas';
const FIRST = 'La Luna tira del mar. Dos veces al día, el agua sube y baja.';
const SECOND = 'Las mareas vivas llegan con la luna llena.';
const EDITED = 'Las mareas vivas llegan con la luna nueva y con la llena.';

let session: E2eSession;
let app: E2eServer;
let context: BrowserContext;
let page: Page;
let id: string;
let shareUrl: string;

beforeAll(async () => {
  session = await openE2eSession('script-review');
  ({ app, context, page } = session);
}, 600_000);

afterAll(() => closeE2eSession(session));

describe.sequential('write a script, review it, edit a scene, approve, watch, share', () => {
  it('sends the script for review from the form', async () => {
    await page.goto(app.baseUrl);
    await page.getByLabel('Topic', { exact: true }).fill(TOPIC);
    // The local engine writes only English: choosing Español switches the form to the script and says why.
    await page.getByLabel('Language', { exact: true }).selectOption('es');
    expect(await page.locator('#script-mode-own').isChecked()).toBe(true);
    await page.getByLabel('Your script').fill(`${FIRST}\n\n${SECOND}`);
    await page.getByText(/2 scenes/).first().waitFor();
    await page.getByText('Generation options').click();
    await page.getByLabel('Music', { exact: true }).selectOption('none');
    await page.getByLabel('Let me review the script before rendering').check();
    await page.getByRole('button', { name: 'Generate Video' }).click();
    await page.waitForURL(/\/videos\/[0-9a-f-]{36}$/);
    id = videoIdFromUrl(page.url());

    await page.getByText('Your script is ready for review').waitFor({ timeout: 60_000 });
    const api = await apiStatus(context, app.baseUrl, id);
    expect(api.status).toBe('awaiting_review');
    expect(api.language).toBe('es');
    expect(api.scenes.map((s) => s.narration)).toEqual([FIRST, SECOND]);
    // Nothing renders while it waits.
    expect(api.scenes.every((s) => s.status === 'pending')).toBe(true);
    await screenshot(page, 'review-waiting');
  });

  it('saves an edit to one scene, then approves and plays the finished video', async () => {
    const second = page.getByLabel('Scene 2 narration');
    await second.fill(EDITED);
    await page.getByRole('button', { name: 'Save edits' }).click();
    await page.getByText('Edits saved.').waitFor();
    expect((await apiStatus(context, app.baseUrl, id)).scenes.map((s) => s.narration)).toEqual([FIRST, EDITED]);

    const [approved] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/video/${id}/approve`)),
      page.getByRole('button', { name: 'Approve and render' }).click(),
    ]);
    expect(approved.status()).toBe(202);
    const video = page.locator('#player video');
    await video.waitFor({ timeout: 120_000 });
    // Watched: the browser decodes and plays it past its first second.
    await video.evaluate((v: HTMLVideoElement) => { v.muted = true; return v.play(); });
    await page.waitForFunction(() => (document.querySelector('#player video') as HTMLVideoElement | null)!.currentTime > 1, null, { timeout: 30_000 });
    await screenshot(page, 'review-approved-playing');

    // Heard: the file the page plays speaks (syllable-rate energy in the speech band, with pauses).
    const api = await apiStatus(context, app.baseUrl, id);
    expect(api.status).toBe('completed');
    expect(api.scenes.map((s) => s.narration)).toEqual([FIRST, EDITED]);
    const res = await context.request.get(new URL(api.videoUrl!, app.baseUrl).toString());
    expect(res.status()).toBe(200);
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-e2e-mp4-')), 'video.mp4');
    await fs.writeFile(file, await res.body());
    expect((await measureSpeech(file)).isSpeech).toBe(true);
  });

  it('shares a public link a stranger can watch, and stops sharing it', async () => {
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const link = page.getByLabel('Public link: anyone with it can watch this video');
    await link.waitFor();
    shareUrl = await link.inputValue();
    expect(shareUrl).toMatch(/\/s\/[A-Za-z0-9_-]+$/);

    // A stranger: a new browser context, without the owner's cookie.
    const stranger = await session.browser.newContext();
    try {
      const p = await stranger.newPage();
      const opened = await p.goto(shareUrl);
      expect(opened?.status()).toBe(200);
      expect(await p.locator('meta[property="og:title"]').getAttribute('content')).toContain(TOPIC);
      expect(await p.locator('meta[property="og:image"]').getAttribute('content')).toMatch(/^https?:\/\//);
      await p.locator('video').waitFor();
      await screenshot(p, 'share-public-page');

      page.once('dialog', (d) => void d.accept());
      await page.getByRole('button', { name: 'Stop sharing' }).click();
      await page.getByRole('button', { name: 'Share', exact: true }).waitFor();
      const gone = await p.goto(shareUrl);
      expect(gone?.status()).toBe(404);
    } finally {
      await stranger.close();
    }
  });
});
