// The provider that needs no API key: scripted scenes, a text card as the scene's image, and a soft
// tone standing in for narration, so the whole pipeline runs offline.
import { renderStill } from '@/lib/media/still';
import { toneAudio } from '@/lib/media/tone';
import { StepError } from '@/lib/steps/errors';
import type { VideoProvider } from '@/lib/providers/types';
import { planLocally } from './plan';

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
      await renderStill(
        {
          title: `Scene ${scene.sceneIndex + 1} of ${scene.sceneCount}`,
          body: scene.narration,
          width: scene.width,
          height: scene.height,
          seed: scene.sceneIndex,
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
