// The seams real generation plugs into. A content provider writes the script, a still image and the
// narration for each scene; a motion provider turns image + narration into the scene's clip.
// Paid calls happen here, so every result is written to a file the pipeline stores under a
// deterministic key: a retried or crashed step finds it and never pays twice.
import type { Checkpoint } from '@/lib/steps/checkpoint';
import type { UsageItem } from '@/lib/usage/types';
import type { AspectRatio, Resolution } from '@/lib/media/dimensions';
import { languages, type Language } from './languages';

export const providerNames = ['local', 'openai'] as const;
export type ProviderName = (typeof providerNames)[number];
export const motionNames = ['kenburns', 'runway'] as const;
export type MotionName = (typeof motionNames)[number];
/** OpenAI's text-to-speech voices. */
export const openaiVoices = ['alloy', 'ash', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer'] as const;
/** The offline voices of the local provider, each available in every language it speaks. */
export const localVoices = ['ava', 'leo', 'iris', 'max'] as const;
/** Each provider's voices; the first is its default. */
export const providerVoices: Record<ProviderName, readonly string[]> = { local: localVoices, openai: openaiVoices };
export type Voice = string;
/** The languages each provider narrates in. */
export const providerLanguages: Record<ProviderName, readonly Language[]> = { local: languages, openai: languages };
/** The languages each provider's planner writes a script in; in the others a request brings its own script. */
export const plannerLanguages: Record<ProviderName, readonly Language[]> = { local: ['en'], openai: languages };

/** What a step used, for the cost ledger; priced by lib/pricing.ts. */
export type { UsageItem };

export interface CallOptions {
  /** Cancellation, lost lease or time budget: pass it to every fetch and ffmpeg run. */
  signal: AbortSignal;
}

export interface PlanRequest {
  topic: string;
  description: string | null;
  sceneCount: number;
  aspectRatio: AspectRatio;
  resolution: Resolution;
  /** The language every narration is written in. */
  language: Language;
  /**
   * The person's own script, one paragraph per scene. When set, the scenes are exactly these
   * paragraphs, narrated verbatim, and the planner only writes their visual prompts.
   */
  script: string[] | null;
}

export interface PlannedScene {
  narration: string;
  visualPrompt: string;
  /** Target length; the narration's measured length is what the scene uses. */
  durationMs: number;
}

export interface PlanResult {
  scenes: PlannedScene[];
  usage: UsageItem[];
}

export interface SceneInput {
  videoId: string;
  topic: string;
  sceneIndex: number;
  sceneCount: number;
  narration: string;
  visualPrompt: string;
  durationMs: number;
  aspectRatio: AspectRatio;
  width: number;
  height: number;
  voice: Voice;
  language: Language;
}

export interface ImageResult {
  usage: UsageItem[];
}

export interface NarrationResult {
  /** Measured length of the audio written; the scene lasts exactly this long. */
  durationMs: number;
  usage: UsageItem[];
}

export interface VideoProvider {
  readonly name: ProviderName;
  plan(req: PlanRequest, opts: CallOptions): Promise<PlanResult>;
  /** Writes a PNG of exactly scene.width x scene.height to outPath. */
  sceneImage(scene: SceneInput, outPath: string, opts: CallOptions): Promise<ImageResult>;
  /** Writes the scene's narration audio (any format ffmpeg reads; AAC in .m4a preferred) to outPath. */
  narration(scene: SceneInput, outPath: string, opts: CallOptions): Promise<NarrationResult>;
}

/** A small JSON record kept on the task between attempts, e.g. a remote job id. */
export type { Checkpoint };

export interface MotionInput {
  scene: SceneInput;
  imagePath: string;
  audioPath: string;
  audioDurationMs: number;
  /** Burn these captions into the picture when set. */
  burnCaptions: { text: string; startMs: number; endMs: number }[] | null;
  /** H.264 + AAC MP4, 30 fps, exactly scene.width x scene.height, as long as the audio. */
  outPath: string;
}

export type MotionResult =
  | { status: 'done'; durationMs: number; usage: UsageItem[] }
  /** A remote job is still running: the step is re-queued and asks again after this long. */
  | { status: 'pending'; checkAfterMs: number };

export interface MotionProvider {
  readonly name: MotionName;
  animate(input: MotionInput, opts: CallOptions & { checkpoint: Checkpoint }): Promise<MotionResult>;
  /** Stops a remote job a cancelled video no longer needs, given the step's saved checkpoint. */
  cancelRemote?(saved: Record<string, unknown>): Promise<void>;
}
