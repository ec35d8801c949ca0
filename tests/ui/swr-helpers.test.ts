import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, errorMessage, fetcher, postJson, unwrap } from '@/lib/swr/fetcher';
import { getVideo, videoErrorRetryDelay, videoKey, videoRefreshInterval } from '@/lib/swr/use-video';
import { getVideosPage, videosPageKey, videosRefreshInterval } from '@/lib/swr/use-videos';
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

describe('the typed client, as the UI uses it', () => {
  /** Stubs fetch with `answer` and keeps the Requests the client sent. */
  function stubFetch(answer: () => Promise<Response>): Request[] {
    const sent: Request[] = [];
    vi.stubGlobal('location', { origin: 'http://localhost:3000' });
    vi.stubGlobal('fetch', vi.fn(async (req: Request) => {
      sent.push(req);
      return answer();
    }));
    return sent;
  }

  it('polls the status route with cache: no-cache, so the browser revalidates its stored answer with the ETag', async () => {
    const sent = stubFetch(async () => json({ id: 'v1', status: 'rendering' }));
    await expect(getVideo('v1')).resolves.toEqual({ id: 'v1', status: 'rendering' });
    expect(sent[0]!.url).toBe('http://localhost:3000/api/video/status/v1');
    expect(sent[0]!.cache).toBe('no-cache');
    expect(sent[0]!.headers.get('accept')).toBe('application/json');
  });

  it("reads each list page's filters and cursor from its SWR key, and never lets the browser cache it", async () => {
    const sent = stubFetch(async () => json({ videos: [], nextCursor: null }));
    await getVideosPage('/api/videos?limit=12&q=bees%20%26%20honey&status=queued,failed&cursor=a%2Bb');
    const url = new URL(sent[0]!.url);
    expect(url.pathname).toBe('/api/videos');
    expect(Object.fromEntries(url.searchParams)).toEqual({ limit: '12', q: 'bees & honey', status: 'queued,failed', cursor: 'a+b' });
    expect(sent[0]!.cache).toBe('no-store');
  });

  it('turns a refusal into an ApiError with the status, code, message and issues', async () => {
    const body = { error: { code: 'validation_failed', message: 'Check the form.', issues: [{ path: 'topic', message: 'Too long' }] } };
    const sent = stubFetch(async () => json(body, 422));
    const err = await unwrap(api().POST('/api/video/generate', {
      body: { topic: 'x' }, params: { header: { 'Idempotency-Key': 'k1' } },
    })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: 'validation_failed', message: 'Check the form.', issues: [{ path: 'topic', message: 'Too long' }] });
    expect(sent[0]!.headers.get('idempotency-key')).toBe('k1');
    expect(sent[0]!.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await sent[0]!.json()).toEqual({ topic: 'x' });
  });

  it('answers undefined for a 204, passes an abort through, and makes a network failure a status-0 ApiError', async () => {
    stubFetch(async () => new Response(null, { status: 204 }));
    await expect(unwrap(api().DELETE('/api/video/{id}', { params: { path: { id: 'v1' } } }))).resolves.toBeUndefined();

    const abort = new DOMException('The operation was aborted.', 'AbortError');
    stubFetch(() => Promise.reject(abort));
    await expect(getVideo('v1')).rejects.toBe(abort);

    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(getVideo('v1')).rejects.toMatchObject({ status: 0, code: 'network_error' });
    // A proxy's HTML error page still gives the status.
    stubFetch(async () => new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(getVideo('v1')).rejects.toMatchObject({ status: 502, code: 'http_502' });
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
