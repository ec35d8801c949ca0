// bench:latency times the start of the plan step only. The real plan runs; every scene then fails at
// once with a permanent error, so no ffmpeg work competes with the next enqueue for the two cores.
import { StepError } from '@/lib/steps/errors';
import type { Providers } from '@/lib/providers';

export function stopAfterPlan(real: Providers): Providers {
  const stop = () =>
    new StepError('bench_stop', 'bench:latency measures the plan start only; scenes are not rendered.', { permanent: true });
  return {
    content(name) {
      const p = real.content(name);
      return {
        name: p.name,
        plan: (req, opts) => p.plan(req, opts),
        sceneImage: async () => {
          throw stop();
        },
        narration: async () => {
          throw stop();
        },
      };
    },
    motion: (name) => real.motion(name),
  };
}
