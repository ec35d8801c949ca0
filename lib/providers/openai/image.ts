// A scene's still: gpt-image-1 at the supported size nearest the video's shape, then fitted to the exact frame.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type OpenAI from 'openai';
import type { AspectRatio } from '@/lib/media/dimensions';
import { fitImage } from '@/lib/media/fit-image';
import type { ImageResult, SceneInput } from '@/lib/providers/types';
import { malformed, withStepErrors } from './errors';

export const IMAGE_MODEL = 'gpt-image-1';
export type ImageSize = '1024x1024' | '1536x1024' | '1024x1536';
export type ImageQuality = 'low' | 'medium' | 'high';
export const DEFAULT_IMAGE_QUALITY: ImageQuality = 'medium';

/**
 * gpt-image-1 only draws three sizes, so each video shape asks for the nearest one and fitImage crops the rest:
 *
 * | Video ratio | Frame at 720p | Image size  | Image ratio | Cropped away          |
 * |-------------|---------------|-------------|-------------|-----------------------|
 * | `16:9`      | 1280x720      | `1536x1024` | 3:2         | 16% of the height     |
 * | `21:9`      | 1680x720      | `1536x1024` | 3:2         | 36% of the height     |
 * | `4:3`       | 960x720       | `1536x1024` | 3:2         | 11% of the width      |
 * | `9:16`      | 720x1280      | `1024x1536` | 2:3         | 16% of the width      |
 * | `3:4`       | 720x960       | `1024x1536` | 2:3         | 11% of the height     |
 * | `1:1`       | 720x720       | `1024x1024` | 1:1         | nothing               |
 *
 * 4:3 and 3:4 sit between square and 3:2; the 3:2 sizes lose less (11% against 25%) and carry more pixels.
 */
export const imageSizeFor: Readonly<Record<AspectRatio, ImageSize>> = {
  '16:9': '1536x1024',
  '21:9': '1536x1024',
  '4:3': '1536x1024',
  '9:16': '1024x1536',
  '3:4': '1024x1536',
  '1:1': '1024x1024',
};

function imagePrompt(scene: SceneInput): string {
  // The crop trims the edges, and generated lettering is usually garbled, so both are asked for up front.
  return `${scene.visualPrompt.trim()}\n\nNo text, letters, captions or watermarks anywhere in the image. ` +
    `Keep the main subject near the centre; the edges may be cropped to a ${scene.aspectRatio} frame.`;
}

export async function sceneImageWithOpenAI(
  client: OpenAI,
  scene: SceneInput,
  outPath: string,
  opts: { quality?: ImageQuality; signal: AbortSignal },
): Promise<ImageResult> {
  const what = `the image for scene ${scene.sceneIndex + 1}`;
  const size = imageSizeFor[scene.aspectRatio];
  const quality = opts.quality ?? DEFAULT_IMAGE_QUALITY;
  return withStepErrors(what, opts.signal, async () => {
    // No response_format: GPT image models reject it and always answer with b64_json.
    const res = await client.images.generate(
      { model: IMAGE_MODEL, prompt: imagePrompt(scene), size, quality, n: 1, output_format: 'png' },
      { signal: opts.signal },
    );
    const b64 = typeof res === 'object' && res !== null ? res.data?.[0]?.b64_json : undefined;
    if (typeof b64 !== 'string' || b64.length === 0) throw malformed(what, 'no image data');
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'cueframe-openai-image-'));
    try {
      const raw = path.join(tmp, 'generated.png');
      await writeFile(raw, Buffer.from(b64, 'base64'));
      // A cancelled run is told apart in withStepErrors, so any failure here means bytes ffmpeg cannot read.
      await fitImage(raw, scene.width, scene.height, outPath, { signal: opts.signal }).catch((err: unknown) => {
        throw malformed(what, 'the image could not be decoded', err);
      });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return { usage: [{ item: 'images', quantity: 1, model: `${IMAGE_MODEL}:${size}:${quality}` }] };
  });
}
