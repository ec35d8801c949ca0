// The provider that needs no API key: scripted scenes, a text card as the scene's image, and a soft
// tone standing in for narration, so the whole pipeline runs offline.
import { renderStill } from '@/lib/media/still';
import { toneAudio } from '@/lib/media/tone';
import type { VideoProvider } from '@/lib/providers/types';
import { planLocally } from './plan';

export function createLocalProvider(): VideoProvider {
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
      const { durationMs } = await toneAudio({ durationMs: scene.durationMs, seed: scene.sceneIndex, outPath }, { signal });
      return { durationMs, usage: [] };
    },
  };
}
