// A provider turns a topic into scenes and a scene into a clip. The local provider works offline;
// the AI providers plug in behind the same interface.
import type { AspectRatio, Resolution } from '@/lib/media/dimensions';

export interface PlanRequest {
  topic: string;
  description: string | null;
  sceneCount: number;
  aspectRatio: AspectRatio;
  resolution: Resolution;
}

export interface PlannedScene {
  narration: string;
  visualPrompt: string;
  /** Target length; the rendered clip's measured length is what the video uses. */
  durationMs: number;
}

export interface SceneRenderRequest {
  videoId: string;
  topic: string;
  sceneIndex: number;
  sceneCount: number;
  narration: string;
  visualPrompt: string;
  durationMs: number;
  width: number;
  height: number;
  /** Where to write the finished clip (H.264 + AAC MP4, 30 fps). */
  outPath: string;
}

export interface ProviderCallOptions {
  signal: AbortSignal;
}

export interface VideoProvider {
  readonly name: string;
  plan(req: PlanRequest, opts: ProviderCallOptions): Promise<PlannedScene[]>;
  renderScene(req: SceneRenderRequest, opts: ProviderCallOptions): Promise<{ durationMs: number }>;
}
