// The floor for bench:ttv: the same media work the pipeline does for one video (speech, cards, the
// same encodes, music, concat, poster) with the same parallelism, called directly: no queue, no
// database, no storage, no HTTP. Whatever the pipeline takes beyond this is its own overhead.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { concatClips, extractPoster } from '@/lib/media/compose';
import { dimensionsFor, type AspectRatio, type Resolution } from '@/lib/media/dimensions';
import type { MusicBed } from '@/lib/media/music-beds';
import { musicMixFor } from '@/lib/media/music';
import { probe } from '@/lib/media/probe';
import { createLocalProvider } from '@/lib/providers/local';
import { createKenBurnsMotion } from '@/lib/providers/motion/kenburns';
import type { Language } from '@/lib/providers/languages';
import type { SceneInput } from '@/lib/providers/types';

export interface BareSpec {
  topic: string;
  sceneCount: number;
  aspectRatio: AspectRatio;
  resolution: Resolution;
  language: Language;
  voice: string;
  /** How many scenes are made at once: the pipeline's QUEUE_CONCURRENCY. */
  concurrency: number;
  music: MusicBed;
  musicVolume: number;
}

export interface BareResult {
  wallMs: number;
  phases: { planMs: number; scenesMs: number; composeMs: number };
}

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  }));
}

export async function bareVideo(spec: BareSpec): Promise<BareResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-ttv-bare-'));
  const signal = new AbortController().signal;
  const content = createLocalProvider();
  const motion = createKenBurnsMotion();
  const t0 = performance.now();
  try {
    const { scenes } = await content.plan({
      topic: spec.topic, description: null, sceneCount: spec.sceneCount, aspectRatio: spec.aspectRatio,
      resolution: spec.resolution, language: spec.language, script: null,
    }, { signal });
    const t1 = performance.now();
    const clips = scenes.map((_, i) => path.join(dir, `clip-${i}.mp4`));
    await pool(scenes.map((s, i) => ({ s, i })), spec.concurrency, async ({ s, i }) => {
      const input: SceneInput = {
        videoId: '00000000-0000-4000-8000-00000000beef', topic: spec.topic, sceneIndex: i, sceneCount: scenes.length,
        narration: s.narration, visualPrompt: s.visualPrompt, durationMs: s.durationMs, aspectRatio: spec.aspectRatio,
        voice: spec.voice, language: spec.language, ...dimensionsFor(spec.aspectRatio, spec.resolution),
      };
      const imagePath = path.join(dir, `image-${i}.png`);
      const audioPath = path.join(dir, `narration-${i}.m4a`);
      await content.sceneImage(input, imagePath, { signal });
      await content.narration(input, audioPath, { signal });
      const audioMs = (await probe(audioPath)).durationMs;
      await motion.animate({ scene: input, imagePath, audioPath, audioDurationMs: audioMs, outPath: clips[i]!, burnCaptions: null },
        { signal, checkpoint: { get: () => null, save: async () => {} } });
    });
    const t2 = performance.now();
    const final = path.join(dir, 'final.mp4');
    // The bed is mixed in the join's own pass, as compose does.
    const { durationMs } = await concatClips(clips, final, { signal, music: musicMixFor(spec.music, spec.musicVolume) });
    await extractPoster(final, path.join(dir, 'poster.jpg'), Math.min(1, durationMs / 2000), { signal });
    const t3 = performance.now();
    return { wallMs: t3 - t0, phases: { planMs: t1 - t0, scenesMs: t2 - t1, composeMs: t3 - t2 } };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
