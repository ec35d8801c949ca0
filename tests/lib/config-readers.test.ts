// lib/config.ts is the one reader of the environment: the log level, ffmpeg's location and cleanup's
// retention reach their modules from config, and an app hands them over when it starts.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '@/lib/config';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

/** Lines written by lib/log while `fn` runs. */
async function logged(fn: () => void | Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const capture = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  const out = vi.spyOn(console, 'log').mockImplementation(capture);
  const err = vi.spyOn(console, 'error').mockImplementation(capture);
  try {
    await fn();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
}

beforeEach(() => {
  // Each test gets its own copies of lib/log and lib/media/binaries, as a fresh process would.
  vi.resetModules();
});

describe('lib/log', () => {
  it('writes info and above before any config is loaded, whatever LOG_LEVEL says', async () => {
    vi.stubEnv('LOG_LEVEL', 'error');
    try {
      const { log } = await import('@/lib/log');
      expect(await logged(() => {
        log.debug('d');
        log.info('i');
        log.warn('w');
      })).toEqual(['i', 'w']);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('takes its level from setLogLevel', async () => {
    const { log, setLogLevel } = await import('@/lib/log');
    setLogLevel('debug');
    expect(await logged(() => log.debug('d'))).toEqual(['d']);
    setLogLevel('error');
    expect(await logged(() => {
      log.warn('w');
      log.error('e');
    })).toEqual(['e']);
  });
});

describe('config', () => {
  it('reads FFMPEG_PATH and PATH for the binaries, and the cleanup retention', () => {
    const c = loadConfig({ FFMPEG_PATH: '/opt/ff/ffmpeg', PATH: ['/a', '', '/b'].join(path.delimiter), CLEANUP_INTERMEDIATES_DAYS: '3' });
    expect(c.binaries).toEqual({ ffmpegPath: '/opt/ff/ffmpeg', pathDirs: ['/a', '/b'] });
    expect(c.cleanup).toEqual({ intermediatesDays: 3, tempFilesHours: 6, reviewTtlHours: 24 });
    expect(loadConfig({ FFMPEG_PATH: '' }).binaries).toEqual({ ffmpegPath: undefined, pathDirs: [] });
  });

  it('takes provider and motion names from the providers, refusing others', () => {
    expect(loadConfig({ VIDEO_PROVIDER: 'openai', VIDEO_MOTION: 'runway' })).toMatchObject({ provider: 'openai', motion: 'runway' });
    expect(() => loadConfig({ VIDEO_PROVIDER: 'acme' })).toThrow(/VIDEO_PROVIDER/);
  });
});

describe('lib/media/binaries without an app', () => {
  it('reads FFMPEG_PATH through config', async () => {
    vi.stubEnv('FFMPEG_PATH', '/from/env/ffmpeg');
    try {
      const { resolveFfmpegPath } = await import('@/lib/media/binaries');
      expect(resolveFfmpegPath()).toBe('/from/env/ffmpeg');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('createApp', () => {
  let t: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-readers-'));
  });
  afterAll(async () => {
    await t.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("hands config's log level and ffmpeg location to lib/log and lib/media", async () => {
    const { createApp } = await import('@/lib/app');
    const { log } = await import('@/lib/log');
    const { resolveFfmpegPath } = await import('@/lib/media/binaries');
    // Resolved before the app exists, from this process's environment: the app's config replaces it.
    expect(resolveFfmpegPath()).not.toBe('/from/config/ffmpeg');
    expect(await logged(() => log.debug('before'))).toEqual([]);
    const app = await createApp(loadConfig({
      DATA_DIR: dataDir, DATABASE_URL: t.url!, SCHEDULER: 'off', LOG_LEVEL: 'debug', FFMPEG_PATH: '/from/config/ffmpeg',
    }));
    try {
      expect(await logged(() => log.debug('after'))).toEqual(['after']);
      expect(resolveFfmpegPath()).toBe('/from/config/ffmpeg');
    } finally {
      await app.db.close();
    }
  });
});
