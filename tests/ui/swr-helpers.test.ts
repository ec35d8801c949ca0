import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, errorMessage, fetcher, postJson } from '@/lib/swr/fetcher';
import { videoErrorRetryDelay, videoKey, videoRefreshInterval } from '@/lib/swr/use-video';
import { videosPageKey, videosRefreshInterval } from '@/lib/swr/use-videos';
import type { VideoPage, VideoSummary, VideoView } from '@/lib/videos/types';

afterEach(() => vi.unstubAllGlobals());

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('fetcher', () => {
  it('returns the JSON body of a 2xx answer', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json({ ok: 1 })));
    await expect(fetcher('/x')).resolves.toEqual({ ok: 1 });
  });

  it("throws an ApiError carrying the API's code, message, status and issues", async () => {
    const body = { error: { code: 'validation_failed', message: 'Check the form.', issues: [{ path: 'topic', message: 'Too long' }] } };
    vi.stubGlobal('fetch', vi.fn(async () => json(body, 422)));
    const err = await postJson('/api/video/generate', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: 'validation_failed', message: 'Check the form.' });
    expect((err as ApiError).issues).toEqual([{ path: 'topic', message: 'Too long' }]);
  });

  it('copes with non-JSON error bodies and network failures', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>Bad gateway</html>', { status: 502 })));
    const err = (await fetcher('/x').catch((e: unknown) => e)) as ApiError;
    expect(err).toMatchObject({ status: 502, code: 'http_502' });
    expect(errorMessage(err)).toMatch(/server had a problem/);

    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    expect(await fetcher('/x').catch((e: unknown) => e)).toMatchObject({ status: 0, code: 'network_error' });
  });
});

describe('polling', () => {
  const view = (status: VideoView['status']) => ({ status }) as VideoView;
  const page = (...statuses: VideoSummary['status'][]): VideoPage => ({
    videos: statuses.map((status, i) => ({ id: String(i), status }) as VideoSummary),
    nextCursor: null,
  });

  it('polls a video every second until it is terminal', () => {
    expect(videoKey('a b')).toBe('/api/video/status/a%20b');
    expect(videoRefreshInterval(undefined)).toBe(1000);
    expect(videoRefreshInterval(view('rendering'))).toBe(1000);
    for (const s of ['completed', 'failed', 'cancelled'] as const) expect(videoRefreshInterval(view(s))).toBe(0);
  });

  it('retries failed polls more slowly, but never a 404', () => {
    expect(videoErrorRetryDelay(new ApiError(404, 'not_found', 'x'), 1)).toBeNull();
    expect(videoErrorRetryDelay(new ApiError(503, 'misconfigured', 'x'), 1)).toBe(4000);
    expect(videoErrorRetryDelay(new ApiError(0, 'network_error', 'x'), 10)).toBe(15000);
  });

  it('polls the list only while something is still being made', () => {
    expect(videosRefreshInterval(undefined)).toBe(0);
    expect(videosRefreshInterval([page('completed', 'failed')])).toBe(0);
    expect(videosRefreshInterval([page('completed'), page('queued')])).toBe(3000);
  });

  it('follows nextCursor from page to page', () => {
    expect(videosPageKey(0, null)).toBe('/api/videos?limit=12');
    expect(videosPageKey(1, { videos: [], nextCursor: null })).toBeNull();
    expect(videosPageKey(1, { videos: [], nextCursor: 'a+b/=' })).toBe('/api/videos?limit=12&cursor=a%2Bb%2F%3D');
  });
});
