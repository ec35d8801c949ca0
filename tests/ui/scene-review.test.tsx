// The status page while a video awaits review: editable scenes with labelled textareas, counts and the
// review's buttons; the edits sent are only what changed; errors land on their fields; the page polls
// slowly meanwhile. And scene previews carry their poster frame.
import { renderToStaticMarkup } from 'react-dom/server';
import { SWRConfig } from 'swr';
import { describe, expect, it } from 'vitest';
import { changedScenes, draftErrors, draftsOf, issueErrors, NARRATION_MAX, SceneReview, VISUAL_PROMPT_MAX } from '@/components/scene-review';
import { SceneList } from '@/components/scene-list';
import { VideoStatus } from '@/components/video-status';
import { MAX_PARAGRAPH_CHARS, MAX_VISUAL_PROMPT_CHARS } from '@/lib/schemas/video';
import { ApiError } from '@/lib/swr/fetcher';
import { VIDEO_POLL_MS, VIDEO_REVIEW_POLL_MS, videoKey, videoRefreshInterval } from '@/lib/swr/use-video';
import { VIDEOS_POLL_MS, videosRefreshInterval } from '@/lib/swr/use-videos';
import type { SceneView, VideoPage, VideoView } from '@/lib/videos/types';
import { withAppRouter } from '../helpers/router';

const scene = (index: number, over: Partial<SceneView> = {}): SceneView => ({
  index, narration: `Narration ${index + 1}.`, visualPrompt: `Picture ${index + 1}`, durationMs: 3000,
  status: 'pending', clipUrl: null, posterUrl: null, error: null, ...over,
});

function video(over: Partial<VideoView> = {}): VideoView {
  return {
    id: '00000000-0000-4000-8000-000000000001', topic: 'Tides', description: null,
    provider: 'local', motion: 'kenburns', voice: 'ava', language: 'en', music: 'calm', musicVolume: 0.3,
    burnCaptions: false, costCredits: 3,
    usage: { llmTokens: 0, images: 0, ttsCharacters: 0, runwaySeconds: 0, renderSeconds: 0, costUsd: 0 },
    status: 'awaiting_review', progress: 10, stepLabel: 'Waiting for your review', currentScene: null, sceneCount: 2,
    aspectRatio: '16:9', resolution: '720p', width: 1280, height: 720, durationMs: null,
    videoUrl: null, downloadUrl: null, posterUrl: null, captionsUrl: null, error: null,
    createdAt: '2025-01-01T12:00:00Z', startedAt: null, completedAt: null, updatedAt: '2025-01-01T12:00:00Z',
    review: true, awaitingReviewSince: '2025-01-01T12:00:05Z', metadata: {}, scenes: [scene(0), scene(1)],
    ...over,
  };
}

const page = (v: VideoView) => renderToStaticMarkup(withAppRouter(
  <SWRConfig value={{ provider: () => new Map(), fallback: { [videoKey(v.id)]: v } }}>
    <VideoStatus id={v.id} />
  </SWRConfig>,
));
const count = (html: string, s: string) => html.split(s).length - 1;

describe('the review form', () => {
  it('labels a narration and a visual prompt textarea per scene, with character counts and the three actions', () => {
    const html = renderToStaticMarkup(<SceneReview video={video()} onChange={() => {}} />);
    for (const i of [0, 1]) {
      expect(html).toContain(`<label for="field-scene-${i}-narration" class="field-label">Scene ${i + 1} narration</label>`);
      expect(html).toContain(`<label for="field-scene-${i}-visualPrompt" class="field-label">Scene ${i + 1} visual prompt</label>`);
      expect(html).toMatch(new RegExp(`<textarea[^>]*id="field-scene-${i}-narration"[^>]*>Narration ${i + 1}\\.</textarea>`));
      expect(html).toMatch(new RegExp(`<textarea[^>]*id="field-scene-${i}-visualPrompt"[^>]*>Picture ${i + 1}</textarea>`));
    }
    expect(html).toContain(`12/${NARRATION_MAX}`);
    expect(html).toContain(`9/${VISUAL_PROMPT_MAX}`);
    // Nothing to save yet.
    expect(html).toMatch(/<button type="button" class="button" disabled="">Save edits<\/button>/);
    expect(html).toContain('>Approve and render</button>');
    expect(html).toContain('>Cancel video</button>');
  });

  it('uses the API’s limits', () => {
    expect(NARRATION_MAX).toBe(MAX_PARAGRAPH_CHARS);
    expect(VISUAL_PROMPT_MAX).toBe(MAX_VISUAL_PROMPT_CHARS);
  });

  it('sends only what changed, trimmed', () => {
    const scenes = [scene(0), scene(1)];
    const drafts = draftsOf(scenes);
    expect(changedScenes(scenes, drafts)).toEqual([]);
    drafts[1] = { narration: '  New words.  ', visualPrompt: 'Picture 2 ' };
    expect(changedScenes(scenes, drafts)).toEqual([{ index: 1, narration: 'New words.' }]);
    drafts[0] = { narration: 'Narration 1.', visualPrompt: 'A harbour' };
    expect(changedScenes(scenes, drafts)).toEqual([{ index: 0, visualPrompt: 'A harbour' }, { index: 1, narration: 'New words.' }]);
  });

  it('says what is wrong before sending, and places the server’s issues on their fields', () => {
    expect(draftErrors({ 0: { narration: ' ', visualPrompt: 'p'.repeat(VISUAL_PROMPT_MAX + 1) } })).toEqual({
      'scene-0-narration': 'Write what the narrator says in this scene.',
      'scene-0-visualPrompt': `At most 1,000 characters; this has ${VISUAL_PROMPT_MAX + 1}.`,
    });
    expect(draftErrors({ 3: { narration: 'n'.repeat(NARRATION_MAX + 1), visualPrompt: 'ok' } })['scene-3-narration']).toMatch(/At most 600/);
    expect(draftErrors(draftsOf([scene(0)]))).toEqual({});
    // Issue paths count the edits sent, not the scenes.
    const err = new ApiError(422, 'validation_failed', 'bad', [{ path: 'scenes.1.narration', message: 'Text may not contain NUL characters.' }]);
    expect(issueErrors(err, [{ index: 0, visualPrompt: 'x' }, { index: 4, narration: 'y' }])).toEqual({ 'scene-4-narration': 'Text may not contain NUL characters.' });
    expect(issueErrors(new Error('x'), [])).toEqual({});
  });
});

describe('the status page while awaiting review', () => {
  it('shows the review form instead of the progress panel, with one Cancel', () => {
    const html = page(video());
    expect(html).toContain('Your script is ready for review');
    expect(html).toContain('Awaiting your review');
    expect(html).toContain('field-scene-0-narration');
    expect(html).not.toContain('role="progressbar"');
    expect(count(html, '>Cancel video</button>')).toBe(1);
  });

  it('shows the scenes read-only once approved', () => {
    const html = page(video({ status: 'rendering', awaitingReviewSince: null }));
    expect(html).not.toContain('<textarea');
    expect(html).toContain('Narration 1.');
    expect(html).toContain('role="progressbar"');
  });

  it('says why when an expired review was cancelled', () => {
    const html = page(video({
      status: 'cancelled', awaitingReviewSince: null,
      error: { code: 'review_expired', message: 'Nobody approved the scenes in time.' },
    }));
    expect(html).toContain('Nobody approved the scenes in time.');
    expect(html).not.toContain('<textarea');
  });

  it('polls every 30 s while awaiting review, and every second again once approved', () => {
    expect(videoRefreshInterval(video(), false)).toBe(VIDEO_REVIEW_POLL_MS);
    expect(videoRefreshInterval(video(), true)).toBe(VIDEO_REVIEW_POLL_MS);
    expect(VIDEO_REVIEW_POLL_MS).toBe(30_000);
    expect(videoRefreshInterval(video({ status: 'rendering' }), false)).toBe(VIDEO_POLL_MS);
  });

  it('does not keep the list polling for a video that only waits for its owner', () => {
    const page = (...statuses: VideoView['status'][]): VideoPage[] => [{
      nextCursor: null,
      videos: statuses.map((status, i) => ({
        id: String(i), topic: 't', status, progress: 0, stepLabel: '', aspectRatio: '16:9', posterUrl: null, createdAt: '2025-01-01T00:00:00Z',
      })),
    }];
    expect(videosRefreshInterval(page('awaiting_review', 'completed'), false)).toBe(0);
    expect(videosRefreshInterval(page('awaiting_review', 'rendering'), false)).toBe(VIDEOS_POLL_MS);
  });
});

describe('scene previews', () => {
  it('give each rendered clip its poster frame', () => {
    const html = renderToStaticMarkup(<SceneList width={1280} height={720} scenes={[
      scene(0, { status: 'rendered', clipUrl: '/api/files/videos/v/scenes/0.mp4?exp=1&sig=a', posterUrl: '/api/files/videos/v/scenes/0/image.png?exp=1&sig=b' }),
      scene(1, { status: 'rendered', clipUrl: '/api/files/videos/v/scenes/1.mp4?exp=1&sig=c', posterUrl: null }),
    ]} />);
    const videos = html.match(/<video[^>]*>/g)!;
    expect(videos).toHaveLength(2);
    expect(videos[0]).toContain('aria-label="Scene 1 clip"');
    expect(videos[0]).toContain('poster="/api/files/videos/v/scenes/0/image.png?exp=1&amp;sig=b"');
    expect(videos[1]).toContain('aria-label="Scene 2 clip"');
    expect(videos[1]).not.toContain('poster=');
  });
});
