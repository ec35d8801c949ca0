// Shared by the browser tests: Chromium from the system (playwright-core drives it), `next start` servers on
// the embedded defaults (PGlite and local storage in a fresh DATA_DIR each; PostgreSQL with
// E2E_DATABASE=postgres), screenshots, and a recorder that notes in the page everything the tests assert
// on over time (progress, title, favicon, notifications).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { VideoView } from '@/lib/videos/types';
import { createServerDatabase, type ServerDatabase } from '../helpers/db';
import { ensureBuild, killAllServers, ROOT, startServer, type ServerProcess } from '../helpers/server';
import { e2eDatabase } from './database';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts/e2e');

/** A headless Chromium with a new, empty profile (playwright-core makes a temporary user-data-dir). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export interface E2eServer {
  server: ServerProcess;
  baseUrl: string;
  dataDir: string;
  /** Its database on the test PostgreSQL server (E2E_DATABASE=postgres); null on PGlite. */
  database: ServerDatabase | null;
  /** Stops the server and removes its data (and its database). */
  close(): Promise<void>;
}

/**
 * `next start` on the embedded defaults: no DATABASE_URL (PGlite in DATA_DIR), local storage, the local
 * provider, a generated signing secret. With E2E_DATABASE=postgres, DATABASE_URL names a fresh database
 * on the test server instead, which the server migrates and close() drops. `env` adds what a scenario
 * needs (pacing, faults, admin token).
 */
export async function startE2eServer(name: string, env: Record<string, string> = {}): Promise<E2eServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `cueframe-e2e-${name}-`));
  const database = e2eDatabase() === 'postgres' ? await createServerDatabase() : null;
  const removeData = async () => {
    await database?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
  let server: ServerProcess;
  try {
    server = await startServer({ databaseUrl: database?.url ?? '', dataDir, env: { INSTANCE_ID: `e2e-${name}`, ...env }, readyTimeoutMs: 60_000 });
    if (database) await assertMigrated(database);
  } catch (err) {
    await removeData().catch(() => {});
    throw err;
  }
  return {
    server,
    baseUrl: server.baseUrl,
    dataDir,
    database,
    async close() {
      await server.stop();
      await removeData();
    },
  };
}

/**
 * The server migrates its database on start, so migrations recorded there prove it runs on it: a run
 * meant for PostgreSQL must not pass on PGlite because DATABASE_URL was lost on the way.
 */
async function assertMigrated(database: ServerDatabase): Promise<void> {
  const c = new pg.Client({ connectionString: database.url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>('select count(*)::int as n from schema_migrations');
    if (!rows[0]?.n) throw new Error(`the server did not migrate ${database.name}`);
  } finally {
    await c.end();
  }
}

/** Saves a screenshot to test-artifacts/e2e/<name>.png (gitignored) and returns its path. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  // Screenshots are of settled pages: no caret blinking, no half-finished transitions.
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? true, animations: 'disabled', caret: 'hide' });
  return file;
}

/** What the recorder saw, in order, since the context opened (kept in sessionStorage across reloads). */
export interface Recording {
  /** aria-valuenow of the "Video progress" bar, each time it changed. */
  progress: number[];
  /** document.title, each time it changed. */
  title: string[];
  /** The first icon link's href, each time it changed. */
  icon: (string | null)[];
  /** How many scenes were "Rendered", each time that changed (while the scene list was shown). */
  rendered: number[];
  /** The time-left text, each time it changed. */
  eta: string[];
  /** Every `new Notification(title, { body })`. */
  notifications: { title: string; body: string | null }[];
  /** Every Notification.requestPermission() call, with the page's URL. */
  permissionRequests: string[];
}

/** Installed with addInitScript, so it runs in every page before the app's own scripts. */
function recorder(): void {
  const KEY = '__cueframe_e2e';
  const load = (): Partial<Recording> => {
    try {
      return JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Partial<Recording>;
    } catch {
      return {};
    }
  };
  const append = <K extends keyof Recording>(field: K, value: Recording[K][number], dedupe: boolean) => {
    const rec = load();
    const list = (rec[field] ?? []) as Recording[K][number][];
    if (dedupe && list.length > 0 && list[list.length - 1] === value) return;
    list.push(value);
    (rec as { [k: string]: unknown })[field] = list;
    sessionStorage.setItem(KEY, JSON.stringify(rec));
  };
  const scan = () => {
    const bar = document.querySelector('[role="progressbar"][aria-label="Video progress"]');
    if (bar) append('progress', Number(bar.getAttribute('aria-valuenow')), true);
    if (document.title) append('title', document.title, true);
    const icon = document.querySelector('link[rel~="icon"]');
    append('icon', icon ? icon.getAttribute('href') : null, true);
    if (document.querySelector('.scene-list')) append('rendered', document.querySelectorAll('.scene-list .scene-rendered').length, true);
    const eta = document.querySelector('.render-eta');
    if (eta?.textContent) append('eta', eta.textContent, true);
  };
  new MutationObserver(scan).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });

  const Original = window.Notification;
  if (Original) {
    // Same behaviour and permission as the real one; each construction and permission request is noted.
    class Recorded extends Original {
      constructor(title: string, options?: NotificationOptions) {
        append('notifications', { title, body: options?.body ?? null }, false);
        super(title, options);
      }
      static override requestPermission(callback?: NotificationPermissionCallback): Promise<NotificationPermission> {
        append('permissionRequests', location.href, false);
        return Original.requestPermission(callback);
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true });
  }
}

export async function installRecorder(context: BrowserContext): Promise<void> {
  // The function's source runs in the page. esbuild (vitest, tsx) may wrap named functions in a
  // `__name(fn, "name")` helper that exists only in Node, so the page gets a no-op stand-in.
  await context.addInitScript({ content: `{ const __name = (f) => f; (${recorder.toString()})(); }` });
}

export async function readRecording(page: Page): Promise<Recording> {
  const rec = await page.evaluate(() => JSON.parse(sessionStorage.getItem('__cueframe_e2e') ?? '{}') as Partial<Recording>);
  return {
    progress: rec.progress ?? [], title: rec.title ?? [], icon: rec.icon ?? [], rendered: rec.rendered ?? [],
    eta: rec.eta ?? [], notifications: rec.notifications ?? [], permissionRequests: rec.permissionRequests ?? [],
  };
}

export type StatusBody = VideoView & { etaMs?: number | null };

/** The video as the API shows it to this browser (same owner cookie). */
export async function apiStatus(context: BrowserContext, baseUrl: string, id: string): Promise<StatusBody> {
  const res = await context.request.get(`${baseUrl}/api/video/status/${id}`);
  if (res.status() !== 200) throw new Error(`status ${id} answered ${res.status()}: ${await res.text()}`);
  return (await res.json()) as StatusBody;
}

/** Creates a video as this browser's owner, without the form (scenarios that are not about the form). */
export async function apiGenerate(context: BrowserContext, baseUrl: string, body: { topic: string; sceneCount: number }): Promise<string> {
  const res = await context.request.post(`${baseUrl}/api/video/generate`, { data: body });
  if (res.status() !== 202) throw new Error(`generate answered ${res.status()}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** The id in a /videos/<id> URL. */
export function videoIdFromUrl(url: string): string {
  const m = /\/videos\/([0-9a-f-]{36})/i.exec(url);
  if (!m) throw new Error(`not a video page: ${url}`);
  return m[1]!;
}

/** Whether the page scrolls sideways: nothing may be wider than a phone's screen. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** What each browser test file runs against: its own server, Chromium, and one context with a page. */
export interface E2eSession {
  app: E2eServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/**
 * Builds if the sources changed, starts a `next start` server and Chromium side by side, and opens a
 * desktop-sized context with the recorder installed and a 20 s limit per step: a missing element should
 * not hold the run for Playwright's default 30 s.
 */
export async function openE2eSession(name: string, env: Record<string, string> = {}, contextOptions: BrowserContextOptions = {}): Promise<E2eSession> {
  await ensureBuild();
  const [app, browser] = await Promise.all([startE2eServer(name, env), launchChromium()]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  context.setDefaultTimeout(20_000);
  await installRecorder(context);
  return { app, browser, context, page: await context.newPage() };
}

export async function closeE2eSession(session: E2eSession | undefined): Promise<void> {
  await session?.browser.close();
  await session?.app.close();
  await killAllServers();
}
