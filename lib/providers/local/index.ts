// The provider that needs no API key: scripted scenes rendered as text clips by ffmpeg.
import { renderTextClip } from '@/lib/media/render-clip';
import type { VideoProvider } from '@/lib/providers/types';
import { planLocally } from './plan';

export function createLocalProvider(): VideoProvider {
  return {
    name: 'local',
    async plan(req) {
      return planLocally(req);
    },
    async renderScene(req, { signal }) {
      return renderTextClip(
        {
          title: `Scene ${req.sceneIndex + 1} of ${req.sceneCount}`,
          body: req.narration,
          durationSec: req.durationMs / 1000,
          width: req.width,
          height: req.height,
          seed: req.sceneIndex,
          outPath: req.outPath,
        },
        { signal },
      );
    },
  };
}
