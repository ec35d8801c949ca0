// Topics are shown as text: markup in them is escaped by React, never interpreted.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { VideoCard } from '@/components/video-card';
import type { VideoSummary } from '@/lib/videos/types';

const hostile = `<script>alert("x")</script><img src=x onerror=alert(1)> "quoted" مرحبا 🎬`;

describe('rendering hostile topics', () => {
  it('escapes markup in a video card and keeps the text verbatim', () => {
    const video: VideoSummary = {
      id: '00000000-0000-4000-8000-000000000001', topic: hostile, status: 'queued', progress: 0,
      stepLabel: 'Waiting in the queue', aspectRatio: '16:9', posterUrl: null, createdAt: new Date().toISOString(),
    };
    const html = renderToStaticMarkup(<VideoCard video={video} />);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('مرحبا 🎬');
    expect(html).toMatch(/dir="auto"/);
  });
});
