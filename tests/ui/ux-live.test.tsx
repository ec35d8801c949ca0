// The pieces that make a running video feel alive, outside the browser: the favicon ring, the time left,
// the slower background polling, and durations that agree with the player's clock.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { formatDuration } from '@/components/format';
import { RenderProgress } from '@/components/render-progress';
import { progressIconHref, progressIconSvg } from '@/components/use-favicon-progress';
import { VIDEO_HIDDEN_POLL_MS, VIDEO_POLL_MS, videoRefreshInterval } from '@/lib/swr/use-video';
import { VIDEOS_HIDDEN_POLL_MS, VIDEOS_POLL_MS, videosRefreshInterval } from '@/lib/swr/use-videos';
import type { VideoPage, VideoView } from '@/lib/videos/types';

function video(over: Partial<VideoView> & { etaMs?: number | null } = {}): VideoView {
  return {
    id: '00000000-0000-4000-8000-000000000001', topic: 'Bees', description: null,
    provider: 'local', motion: 'kenburns', voice: 'alloy', burnCaptions: false,
    usage: { llmTokens: 0, images: 0, ttsCharacters: 0, runwaySeconds: 0, renderSeconds: 0, costUsd: 0 },
    status: 'rendering', progress: 42, stepLabel: 'Rendering scenes: 1 of 4 done', currentScene: 2, sceneCount: 4,
    aspectRatio: '16:9', resolution: '720p', width: 1280, height: 720, durationMs: null,
    videoUrl: null, downloadUrl: null, posterUrl: null, captionsUrl: null, error: null,
    createdAt: '2025-01-01T12:00:00Z', startedAt: null, completedAt: null, updatedAt: '2025-01-01T12:00:00Z',
    review: false, awaitingReviewSince: null, scenes: [],
    ...over,
  } as VideoView;
}

describe('favicon progress ring', () => {
  it('draws an arc as long as the percentage, over a track', () => {
    const svg = progressIconSvg(42);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('stroke-dasharray="42 100"');
    expect(svg).toContain('pathLength="100"');
    // Clamped and rounded like the bar.
    expect(progressIconSvg(142)).toContain('stroke-dasharray="100 100"');
    expect(progressIconSvg(12.6)).toContain('stroke-dasharray="13 100"');
    // At 0 there is only the track.
    expect(progressIconSvg(0)).not.toContain('stroke-dasharray');
  });

  it('is a data: URL a <link rel="icon"> can use', () => {
    const href = progressIconHref(50);
    expect(href.startsWith('data:image/svg+xml,')).toBe(true);
    expect(decodeURIComponent(href.slice('data:image/svg+xml,'.length))).toBe(progressIconSvg(50));
  });
});

describe('time left on the running page', () => {
  it('shows the API estimate in words', () => {
    const html = renderToStaticMarkup(<RenderProgress video={video({ etaMs: 40_000 })} />);
    expect(html).toContain('About 40 s left');
    expect(html).toContain('Scene 2 of 4');
    expect(renderToStaticMarkup(<RenderProgress video={video({ etaMs: 95_000 })} />)).toContain('About 2 min left');
  });

  it('shows nothing without an estimate (null, or a server that sends none)', () => {
    expect(renderToStaticMarkup(<RenderProgress video={video({ etaMs: null })} />)).not.toContain('render-eta');
    expect(renderToStaticMarkup(<RenderProgress video={video()} />)).not.toContain('left');
  });

  it('keeps the progress bar’s ARIA: name, range, value and value text', () => {
    const html = renderToStaticMarkup(<RenderProgress video={video()} />);
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-label="Video progress"');
    expect(html).toContain('aria-valuemin="0"');
    expect(html).toContain('aria-valuemax="100"');
    expect(html).toContain('aria-valuenow="42"');
    expect(html).toContain('aria-valuetext="42% · Rendering scenes: 1 of 4 done"');
  });
});

describe('polling in a background tab', () => {
  const view = (status: VideoView['status']) => ({ status }) as VideoView;

  it('polls a running video every second, every 10 s while hidden, and not at all once finished', () => {
    expect(videoRefreshInterval(view('rendering'), false)).toBe(VIDEO_POLL_MS);
    expect(videoRefreshInterval(view('rendering'), true)).toBe(VIDEO_HIDDEN_POLL_MS);
    expect(VIDEO_POLL_MS).toBe(1_000);
    expect(VIDEO_HIDDEN_POLL_MS).toBe(10_000);
    expect(videoRefreshInterval(undefined, true)).toBe(VIDEO_HIDDEN_POLL_MS);
    expect(videoRefreshInterval(view('completed'), true)).toBe(0);
  });

  it('reads the page’s visibility when not told', () => {
    // No document here (Node), so the page counts as visible.
    expect(videoRefreshInterval(view('queued'))).toBe(VIDEO_POLL_MS);
  });

  it('slows the list down the same way', () => {
    const busy: VideoPage[] = [{ videos: [{ status: 'rendering' } as VideoPage['videos'][number]], nextCursor: null }];
    expect(videosRefreshInterval(busy, false)).toBe(VIDEOS_POLL_MS);
    expect(videosRefreshInterval(busy, true)).toBe(VIDEOS_HIDDEN_POLL_MS);
    expect(videosRefreshInterval([{ videos: [], nextCursor: null }], true)).toBe(0);
  });
});

describe('durations', () => {
  it('round down like the player’s clock, so page and controls agree', () => {
    expect(formatDuration(12_600)).toBe('0:12');
    expect(formatDuration(4_999)).toBe('0:04');
    expect(formatDuration(60_000)).toBe('1:00');
  });
});
