import { renderToStaticMarkup } from 'react-dom/server';
import { SWRConfig } from 'swr';
import { describe, expect, it } from 'vitest';
import { formatCost, formatCount, formatSeconds } from '@/components/format';
import { UsagePanel, showUsage } from '@/components/usage-panel';
import { VideoStatus } from '@/components/video-status';
import { videoKey } from '@/lib/swr/use-video';
import type { UsageView, VideoView } from '@/lib/videos/types';
import { withAppRouter } from '../helpers/router';

const none: UsageView = { llmTokens: 0, images: 0, ttsCharacters: 0, runwaySeconds: 0, renderSeconds: 0, costUsd: 0 };

function video(over: Partial<VideoView> = {}): VideoView {
  return {
    id: '00000000-0000-4000-8000-000000000001', topic: 'Bees', description: null,
    provider: 'local', motion: 'kenburns', voice: 'ava', language: 'en', music: 'calm', musicVolume: 0.3,
    burnCaptions: false, costCredits: 3, usage: none,
    status: 'completed', progress: 100, stepLabel: 'Done', currentScene: null, sceneCount: 1,
    aspectRatio: '16:9', resolution: '720p', width: 1280, height: 720, durationMs: 5000,
    videoUrl: '/v.mp4', downloadUrl: '/v.mp4?download=1', posterUrl: null, captionsUrl: null, error: null,
    createdAt: '2025-01-01T12:00:00Z', startedAt: null, completedAt: null, updatedAt: '2025-01-01T12:00:00Z',
    review: false, awaitingReviewSince: null, metadata: {}, scenes: [],
    ...over,
  };
}

const dd = (html: string) => [...html.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/g)].map((m) => [m[1], m[2]]);

describe('formatCost', () => {
  it('says Free for a local video that cost nothing', () => {
    expect(formatCost(0, 'local')).toBe('Free');
    expect(formatCost(0, 'openai')).toBe('$0.00');
    expect(formatCost(Number.NaN, 'local')).toBe('Free');
  });

  it('keeps up to 4 decimals for tiny amounts', () => {
    expect(formatCost(0.0042, 'local')).toBe('$0.0042');
    expect(formatCost(0.000425, 'openai')).toBe('$0.0004');
    expect(formatCost(0.00001, 'openai')).toBe('< $0.0001');
    expect(formatCost(0.05, 'openai')).toBe('$0.05');
    expect(formatCost(0.123456, 'openai')).toBe('$0.1235');
  });

  it('shows cents for normal amounts', () => {
    expect(formatCost(1.5, 'openai')).toBe('$1.50');
    expect(formatCost(12.345, 'openai')).toBe('$12.35');
    expect(formatCost(1234.5, 'openai')).toBe('$1,234.50');
  });

  it('formats counts and seconds', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatSeconds(83.44)).toBe('83.4 s');
    expect(formatSeconds(10)).toBe('10 s');
  });
});

describe('UsagePanel', () => {
  it('shows up once something was used, or when the video is done', () => {
    expect(showUsage(video({ status: 'rendering' }))).toBe(false);
    expect(showUsage(video({ status: 'rendering', usage: { ...none, images: 1 } }))).toBe(true);
    expect(showUsage(video())).toBe(true);
    expect(renderToStaticMarkup(<UsagePanel video={video({ status: 'queued' })} />)).toBe('');
  });

  it('lists the cost and hides rows that are zero', () => {
    expect(dd(renderToStaticMarkup(<UsagePanel video={video()} />))).toEqual([['Cost', 'Free']]);

    const usage: UsageView = { llmTokens: 1530, images: 4, ttsCharacters: 0, runwaySeconds: 20, renderSeconds: 0, costUsd: 1.2345 };
    const html = renderToStaticMarkup(<UsagePanel video={video({ provider: 'openai', status: 'rendering', usage })} />);
    expect(dd(html)).toEqual([
      ['Estimated cost', '$1.23'],
      ['LLM tokens', '1,530'],
      ['Images', '4'],
      ['Runway video', '20 s'],
    ]);
    expect(html).toContain('aria-labelledby="usage-title"');
    expect(html).toContain('updates while the video is being made');
  });

  it('shows a local video as free, with what its rendering cost the server labelled as compute, never as its price', () => {
    const html = renderToStaticMarkup(<UsagePanel video={video({ usage: { ...none, renderSeconds: 66.7, costUsd: 0.0057 } })} />);
    expect(dd(html)).toEqual([
      ['Cost', 'Free'],
      ['Compute cost (local)', '$0.0057'],
      ['Render time', '66.7 s'],
    ]);
    expect(html).not.toContain('Estimated cost');
    expect(html).not.toContain('list prices');
    expect(html).toContain('no paid service');
  });

  it('escapes what the server sent, on the whole status page', () => {
    const hostile = '<script>alert("x")</script>';
    const v = video({
      topic: hostile, provider: `<b>${hostile}</b>`, motion: '<i>m</i>', voice: '<u>v</u>', music: '"><img src=x onerror=alert(1)>',
      usage: { ...none, renderSeconds: 12.34, costUsd: 0.0011 },
    });
    const html = renderToStaticMarkup(
      withAppRouter(
        <SWRConfig value={{ provider: () => new Map(), fallback: { [videoKey(v.id)]: v } }}>
          <VideoStatus id={v.id} />
        </SWRConfig>,
      ),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>m');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<u>');
    expect(html).toContain(
      '&lt;b&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;/b&gt; · &lt;i&gt;m&lt;/i&gt; · &quot;&gt;&lt;img src=x onerror=alert(1)&gt; music',
    );
    expect(dd(html.slice(html.indexOf('usage-list')))).toEqual([
      ['Estimated cost', '$0.0011'],
      ['Render time', '12.3 s'],
    ]);
  });

  it('says in the summary line the voice only when the video has one, its language unless English, and its music', () => {
    const line = (over: Partial<VideoView>) => {
      const v = video(over);
      const html = renderToStaticMarkup(
        withAppRouter(
          <SWRConfig value={{ provider: () => new Map(), fallback: { [videoKey(v.id)]: v } }}>
            <VideoStatus id={v.id} />
          </SWRConfig>,
        ),
      );
      return html.match(/<span class="sr-only">Made with <\/span><span dir="auto">(.*?)<\/span>/)?.[1];
    };
    expect(line({})).toBe('Local · Ken Burns · Ava · calm music');
    expect(line({ language: 'fr', music: 'none', voice: 'max' })).toBe('Local · Ken Burns · Max · Français');
    // Made before the local engine spoke: the stored "alloy" was never heard, so no voice is named.
    expect(line({ voice: 'alloy', music: 'none' })).toBe('Local · Ken Burns');
    expect(line({ provider: 'openai', voice: 'alloy', music: 'none', burnCaptions: true })).toBe('OpenAI · Ken Burns · Alloy · captions');
  });
});
