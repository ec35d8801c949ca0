// A step that fails for good: the page says so in plain words, and Retry finishes the video. The failure is
// real, not mocked: CUEFRAME_FAULTS=render:once makes the local provider's narration of each scene fail
// (permanently) the first time it runs in this server process. One scene, so exactly one step fails and one
// Retry finishes it (with more, a scene paused by the first failure would fail on its own first run too).
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiGenerate, apiStatus, closeE2eSession, type E2eServer, type E2eSession, openE2eSession, readRecording, screenshot,
} from './kit';

const TOPIC = 'Why leaves change colour in autumn';

let session: E2eSession;
let app: E2eServer;
let context: BrowserContext;
let page: Page;
let id: string;

beforeAll(async () => {
  session = await openE2eSession('faults', { CUEFRAME_FAULTS: 'render:once' });
  ({ app, context, page } = session);
}, 600_000);

afterAll(() => closeE2eSession(session));

describe.sequential('a forced failure, then Retry', () => {
  it('shows the error in plain words, the failed scene, and a Retry button', async () => {
    await page.goto(app.baseUrl);
    const originalIcon = await page.locator('link[rel~="icon"]').first().getAttribute('href');
    id = await apiGenerate(context, app.baseUrl, { topic: TOPIC, sceneCount: 1 });
    await page.goto(`${app.baseUrl}/videos/${id}`);

    const alert = page.getByRole('alert').filter({ hasText: 'This video couldn’t be finished' });
    await alert.waitFor({ timeout: 90_000 });
    const api = await apiStatus(context, app.baseUrl, id);
    expect(api.status).toBe('failed');
    expect(api.error?.code).toBe('injected_fault');
    expect(api.error?.message).toBeTruthy();
    expect(await alert.textContent()).toContain(api.error!.message);

    // The scene that failed says so, with its reason.
    const failed = page.locator('.scene-failed');
    expect(await failed.count()).toBeGreaterThanOrEqual(1);
    expect(await failed.first().locator('.badge').textContent()).toBe('Failed');
    expect(await failed.first().getByText('This scene didn’t render.').isVisible()).toBe(true);

    expect(await page.title()).toBe(`Failed — ${TOPIC}`);
    // No progress ring once it has stopped: the page's own icon is back.
    expect(await page.locator('link[rel~="icon"]').first().getAttribute('href')).toBe(originalIcon);
    expect(await page.getByRole('progressbar', { name: 'Video progress' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
    await screenshot(page, 'status-failed');
  });

  it('Retry runs only what failed and finishes the video', async () => {
    const [retried] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/video/${id}/retry`)),
      page.getByRole('button', { name: 'Retry' }).click(),
    ]);
    expect(retried.status()).toBe(202);
    // Only the failed render runs again: the plan is kept.
    expect(((await retried.json()) as { requeued: unknown[] }).requeued).toEqual([{ kind: 'render', sceneIndex: 0 }]);
    // Done: the player, the scene rendered, and the in-page notice.
    await page.locator('#player video').waitFor({ timeout: 90_000 });
    await page.locator('.toast').getByText('Your video is ready').waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'This video couldn’t be finished' }).count()).toBe(0);
    expect(await page.locator('.scene-list .badge').allTextContents()).toEqual(['Rendered']);

    const api = await apiStatus(context, app.baseUrl, id);
    expect(api.status).toBe('completed');
    expect(api.error).toBeNull();
    expect(await page.title()).toBe(`✓ Ready — ${TOPIC}`);
    const rec = await readRecording(page);
    expect(rec.title).toContain(`Failed — ${TOPIC}`);
    await screenshot(page, 'status-retried');
  });
});
