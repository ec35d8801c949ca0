// What a video costs in credits and roughly how long it takes, before anything runs. One credit is
// worth about one US cent of provider spend, so prices track lib/pricing.ts.
import type { Resolution } from '@/lib/media/dimensions';
import type { MotionName, ProviderName } from '@/lib/providers/types';

export interface EstimateInput {
  sceneCount: number;
  resolution: Resolution;
  provider: ProviderName;
  motion: MotionName;
}

export interface Estimate {
  credits: number;
  /** Rough wall time with the default concurrency. */
  estimatedSeconds: number;
}

const perScene: Record<ProviderName, number> = { local: 1, openai: 8 };
const perSceneMotion: Record<MotionName, number> = { kenburns: 0, runway: 25 };
const resolutionFactor: Record<Resolution, number> = { '720p': 1, '1080p': 1.5 };
const baseCredits: Record<ProviderName, number> = { local: 1, openai: 2 };

export function estimateVideo(i: EstimateInput): Estimate {
  const scene = (perScene[i.provider] + perSceneMotion[i.motion]) * resolutionFactor[i.resolution];
  const credits = Math.ceil(baseCredits[i.provider] + i.sceneCount * scene);
  const renderSeconds = (i.motion === 'runway' ? 60 : 8) * resolutionFactor[i.resolution];
  const planSeconds = i.provider === 'openai' ? 10 : 1;
  // Scenes render two at a time by default.
  const estimatedSeconds = Math.round(planSeconds + Math.ceil(i.sceneCount / 2) * renderSeconds + 5);
  return { credits, estimatedSeconds };
}
