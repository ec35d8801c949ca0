// The provider that needs no API key: scripted scenes, a designed card as the scene's image, and a soft
// tone standing in for narration, so the whole pipeline runs offline.
import { paletteForKey } from '@/lib/media/palette';
import { renderStill } from '@/lib/media/still';
import { toneAudio } from '@/lib/media/tone';
import { StepError } from '@/lib/steps/errors';
import type { VideoProvider } from '@/lib/providers/types';
import { cardText } from './key-phrase';
import { planLocally } from './plan';
import { readTopic } from './topic';

export interface LocalProviderOptions {
  /** Test-only fault injection (CUEFRAME_FAULTS=render:once): each scene's first narration fails permanently. */
  faults?: string;
}

export function createLocalProvider(opts: LocalProviderOptions = {}): VideoProvider {
  const failOnce = (opts.faults ?? '').split(',').includes('render:once');
  const failed = new Set<string>();
  return {
    name: 'local',
    async plan(req) {
      return { scenes: planLocally(req), usage: [] };
    },
    async sceneImage(scene, outPath, { signal }) {
      // Scene 0 opens the video with its title, so the poster and thumbnails show the topic; the others show their
      // key phrase under the topic. The words come from the visual prompt the planner wrote (or the user edited).
      const { headline, kicker } = cardText(scene);
      const title = scene.sceneIndex === 0;
      const topic = readTopic(scene.topic).title;
      await renderStill(
        {
          kind: title ? 'title' : 'scene',
          headline,
          // The topic above the phrase, unless the phrase is the topic itself (a paragraph too short to quote).
          small: title ? kicker : headline === topic ? '' : topic,
          width: scene.width,
          height: scene.height,
          palette: paletteForKey(scene.videoId),
          variant: scene.sceneIndex,
          outPath,
        },
        { signal },
      );
      return { usage: [] };
    },
    async narration(scene, outPath, { signal }) {
      const key = `${scene.videoId}:${scene.sceneIndex}`;
      if (failOnce && !failed.has(key)) {
        failed.add(key);
        throw new StepError('injected_fault', `Scene ${scene.sceneIndex + 1} failed on purpose (CUEFRAME_FAULTS). Retry to finish it.`, { permanent: true });
      }
      const { durationMs } = await toneAudio({ durationMs: scene.durationMs, seed: scene.sceneIndex, outPath }, { signal });
      return { durationMs, usage: [] };
    },
  };
}
