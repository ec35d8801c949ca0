// "Your video is ready" must never cover the player: it sits in the page's flow just above it, and no
// style lifts it out of the flow (fixed, absolute or sticky) where it could land on the picture or its controls.
import { readFile } from 'node:fs/promises';
import { renderToStaticMarkup } from 'react-dom/server';
import { SWRConfig } from 'swr';
import { describe, expect, it } from 'vitest';
import { CompletionToast } from '@/components/completion-toast';
import { VideoStatus } from '@/components/video-status';
import { videoKey } from '@/lib/swr/use-video';
import type { VideoView } from '@/lib/videos/types';
import { withAppRouter } from '../helpers/router';

const none = { llmTokens: 0, images: 0, ttsCharacters: 0, runwaySeconds: 0, renderSeconds: 0, costUsd: 0 };
// Cast: only what the status page needs to show a finished video; other branches add fields to the view.
const video = {
  id: '00000000-0000-4000-8000-000000000001', topic: 'Bees', description: null,
  provider: 'local', motion: 'kenburns', voice: 'ava', language: 'en', music: 'calm', musicVolume: 0.3,
  burnCaptions: false, costCredits: 3, usage: none,
  status: 'completed', progress: 100, stepLabel: 'Done', currentScene: null, sceneCount: 1,
  aspectRatio: '16:9', resolution: '720p', width: 1280, height: 720, durationMs: 5000,
  videoUrl: '/v.mp4', downloadUrl: '/v.mp4?download=1', posterUrl: null, captionsUrl: null, error: null,
  createdAt: '2025-01-01T12:00:00Z', startedAt: null, completedAt: null, updatedAt: '2025-01-01T12:00:00Z',
  review: false, awaitingReviewSince: null, metadata: {}, scenes: [],
} as VideoView;

/** The declarations of every rule whose selector list names `selector`. */
function rulesFor(css: string, selector: string): string[] {
  return [...css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^{}]*)\}/g)]
    .filter((m) => m[1]!.split(',').some((s) => s.trim().startsWith(selector)))
    .map((m) => m[2]!);
}

describe('completion notice placement', () => {
  it('is rendered in the page just before the player, not after it or elsewhere', () => {
    const html = renderToStaticMarkup(withAppRouter(
      <SWRConfig value={{ provider: () => new Map(), fallback: { [videoKey(video.id)]: video } }}>
        <VideoStatus id={video.id} />
      </SWRConfig>,
    ));
    const region = html.indexOf('<div class="toast-region"');
    const player = html.indexOf('id="player"');
    expect(region).toBeGreaterThan(-1);
    expect(player).toBeGreaterThan(-1);
    // Nothing stands between the notice and the player: it reads as the player's heading.
    expect(html.slice(region, player)).toMatch(/^<div class="toast-region" role="status" aria-live="polite" aria-atomic="true"><\/div><section class="player" $/);
  });

  it('is never taken out of the page flow by its styles', async () => {
    const css = await readFile('app/globals.css', 'utf8');
    const toastRules = ['.toast-region', '.toast'].flatMap((s) => rulesFor(css, s));
    expect(toastRules.length).toBeGreaterThan(3);
    for (const rule of toastRules) expect(rule).not.toMatch(/position\s*:\s*(fixed|absolute|sticky)/);
    // The check finds a floating rule when there is one.
    expect(rulesFor('.toast-region { position: fixed; }', '.toast-region')[0]).toMatch(/position\s*:\s*fixed/);
  });

  it('says the video is ready and offers to watch it, when open', () => {
    const html = renderToStaticMarkup(<CompletionToast open topic="Bees" onWatch={() => {}} onDismiss={() => {}} />);
    expect(html).toContain('<p class="toast-title">Your video is ready</p>');
    expect(html).toContain('Watch</button>');
  });
});
