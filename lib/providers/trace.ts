// Provider calls as spans: `provider.script`, `provider.image`, `provider.speech`, `provider.motion` (and
// `provider.cancel`), children of the step that made the call. Applied once where providers are built
// (./index.ts), so the providers themselves stay free of tracing.
import { attr, withSpan } from '@/lib/trace';
import type { MotionProvider, SceneInput, VideoProvider } from './types';

function sceneAttrs(provider: string, scene: SceneInput) {
  return { [attr.provider]: provider, [attr.videoId]: scene.videoId, [attr.scene]: scene.sceneIndex };
}

export function tracedContent(p: VideoProvider): VideoProvider {
  return {
    name: p.name,
    plan: (req, opts) => withSpan('provider.script', { [attr.provider]: p.name }, () => p.plan(req, opts)),
    sceneImage: (scene, outPath, opts) => withSpan('provider.image', sceneAttrs(p.name, scene), () => p.sceneImage(scene, outPath, opts)),
    narration: (scene, outPath, opts) => withSpan('provider.speech', sceneAttrs(p.name, scene), () => p.narration(scene, outPath, opts)),
  };
}

export function tracedMotion(m: MotionProvider): MotionProvider {
  const cancelRemote = m.cancelRemote;
  return {
    name: m.name,
    animate: (input, opts) => withSpan('provider.motion', sceneAttrs(m.name, input.scene), async (span) => {
      const result = await m.animate(input, opts);
      // A remote job still running is not a failure: the step asks again later.
      span.setAttribute(attr.outcome, result.status);
      return result;
    }),
    ...(cancelRemote
      ? { cancelRemote: (saved: Record<string, unknown>) => withSpan('provider.cancel', { [attr.provider]: m.name }, () => cancelRemote.call(m, saved)) }
      : {}),
  };
}
