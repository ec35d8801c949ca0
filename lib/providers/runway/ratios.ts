// Runway's gen4_turbo accepts only a fixed list of output ratios, so each Cueframe aspect ratio
// maps to the nearest one. Carried over from the RunwayML design note (seeds/002, "Resolution
// Mapping System"): its Video Ratio column. That note also maps each video ratio to an image ratio
// for generating the prompt image; Cueframe does not need it, because the content provider
// already draws the scene image at the scene's exact size (and the note's 21:9 -> 1920:1080 image
// would hand Runway a 16:9 picture to crop).
import type { AspectRatio } from '@/lib/media/dimensions';

export const runwayRatios = ['1280:720', '720:1280', '1104:832', '832:1104', '960:960', '1584:672'] as const;
export type RunwayRatio = (typeof runwayRatios)[number];

/** Cueframe aspect ratio -> the ratio sent to Runway (seeds/002). */
export const runwayRatioFor: Readonly<Record<AspectRatio, RunwayRatio>> = {
  '16:9': '1280:720',
  '9:16': '720:1280',
  '4:3': '1104:832',
  '3:4': '832:1104',
  '1:1': '960:960',
  '21:9': '1584:672',
};
