// Ken Burns motion: a slow pan and zoom over the still, rendered locally by ffmpeg.
import { kenBurnsClip } from '@/lib/media/kenburns';
import type { MotionProvider } from '@/lib/providers/types';

export function createKenBurnsMotion(): MotionProvider {
  return {
    name: 'kenburns',
    async animate(input, { signal }) {
      const started = Date.now();
      const { durationMs } = await kenBurnsClip(
        {
          imagePath: input.imagePath,
          audioPath: input.audioPath,
          durationMs: input.audioDurationMs,
          width: input.scene.width,
          height: input.scene.height,
          seed: input.scene.sceneIndex,
          captions: input.burnCaptions,
          outPath: input.outPath,
        },
        { signal },
      );
      return { status: 'done', durationMs, usage: [{ item: 'render_seconds', quantity: (Date.now() - started) / 1000, model: 'ffmpeg' }] };
    },
  };
}
