// What a video costs in credits and roughly how long it takes, before anything runs. One credit is
// worth about one US cent of provider spend, so prices track lib/pricing.ts.
import type { Resolution } from '@/lib/media/dimensions';
import type { MusicBed } from '@/lib/media/music-beds';
import { prices } from '@/lib/pricing';
import type { MotionName, ProviderName } from '@/lib/providers/types';

export interface EstimateInput {
  sceneCount: number;
  resolution: Resolution;
  provider: ProviderName;
  motion: MotionName;
  music: MusicBed;
  musicVolume: number;
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

/**
 * The music bed's compute, in seconds: synthesising one loop of the progression (a fixed ~0.3 s) plus ducking
 * and mixing, ~0.01 s per second of audio, over scenes of about 10 s. Measured with ffmpeg 4.1 on this
 * project's 2-core machine (see lib/media/music.ts); the AAC encode it rides on is compose's anyway.
 */
export function musicComputeSeconds(i: Pick<EstimateInput, 'sceneCount' | 'music' | 'musicVolume'>): number {
  return i.music === 'none' || !(i.musicVolume > 0) ? 0 : 0.3 + 0.1 * i.sceneCount;
}

/** Credits are whole: one is about a US cent, so a cost is a fraction of one until it is a hundredth of a dollar. */
const CREDITS_PER_USD = 100;

export function musicCredits(i: Pick<EstimateInput, 'sceneCount' | 'music' | 'musicVolume'>): number {
  return musicComputeSeconds(i) * prices.render_seconds.ffmpeg * CREDITS_PER_USD;
}

export function estimateVideo(i: EstimateInput): Estimate {
  const scene = (perScene[i.provider] + perSceneMotion[i.motion]) * resolutionFactor[i.resolution];
  // The bed's compute is priced like every ffmpeg second, but at ~0.02 credit for the longest video it
  // stays inside the base credit that already covers plan and compose: charging a whole extra credit for
  // it would overcharge a hundredfold. It is in the time estimate below and in the usage compose records.
  const credits = Math.ceil(baseCredits[i.provider] + i.sceneCount * scene);
  const renderSeconds = (i.motion === 'runway' ? 60 : 8) * resolutionFactor[i.resolution];
  const planSeconds = i.provider === 'openai' ? 10 : 1;
  const composeSeconds = 5 + musicComputeSeconds(i);
  // Scenes render two at a time by default.
  const estimatedSeconds = Math.round(planSeconds + Math.ceil(i.sceneCount / 2) * renderSeconds + composeSeconds);
  return { credits, estimatedSeconds };
}
