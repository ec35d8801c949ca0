// The provider that needs no API key: scripted scenes, a designed card as the scene's image, and narration
// spoken by eSpeak NG inside the process (lib/media/speech.ts), so the whole pipeline runs offline.
import type { SpeechResult, SpeechSpec } from '@/lib/media/speech';
import type { MediaRunOptions } from '@/lib/media/ffmpeg';
import { paletteForKey } from '@/lib/media/palette';
import { renderStill } from '@/lib/media/still';
import { StepError } from '@/lib/steps/errors';
import type { VideoProvider } from '@/lib/providers/types';
import { cardText } from './key-phrase';
import { planLocally } from './plan';
import { splitSentences } from './sentences';
import { readTopic } from './topic';
import { engineVoiceFor } from './voices';

export type Speak = (spec: SpeechSpec, opts: MediaRunOptions) => Promise<SpeechResult>;

// Imported when a scene is narrated, never before: the engine is 18 MB of WebAssembly that only the worker
// functions ship (next.config.ts), and every other function that reaches this provider (generate checks a
// request against it) must load without it.
const speakOffline: Speak = async (spec, opts) => (await import('@/lib/media/speech')).speakSentences(spec, opts);

export interface LocalProviderOptions {
  /** Test-only fault injection (CUEFRAME_FAULTS=render:once): each scene's first narration fails permanently. */
  faults?: string;
  /** The speech engine; tests wrap the real one to see what it was asked. */
  speak?: Speak;
}

export function createLocalProvider(opts: LocalProviderOptions = {}): VideoProvider {
  const failOnce = (opts.faults ?? '').split(',').includes('render:once');
  const failed = new Set<string>();
  const speak = opts.speak ?? speakOffline;
  return {
    name: 'local',
    async plan(req) {
      return { scenes: planLocally(req), usage: [] };
    },
    async sceneImage(scene, outPath, { signal }) {
      // Scene 0 opens the video with its title, so the poster and thumbnails show the topic; the others show their
      // key phrase under the topic. The words come from the visual prompt the planner wrote (or the user edited).
      const { headline, kicker } = cardText(scene);
      const title = scene.sceneIndex === 0;
      const topic = readTopic(scene.topic).title;
      await renderStill(
        {
          kind: title ? 'title' : 'scene',
          headline,
          // The topic above the phrase, unless the phrase is the topic itself (a paragraph too short to quote).
          small: title ? kicker : headline === topic ? '' : topic,
          width: scene.width,
          height: scene.height,
          palette: paletteForKey(scene.videoId),
          variant: scene.sceneIndex,
          outPath,
        },
        { signal },
      );
      return { usage: [] };
    },
    async narration(scene, outPath, { signal }) {
      const key = `${scene.videoId}:${scene.sceneIndex}`;
      if (failOnce && !failed.has(key)) {
        failed.add(key);
        throw new StepError('injected_fault', `Scene ${scene.sceneIndex + 1} failed on purpose (CUEFRAME_FAULTS). Retry to finish it.`, { permanent: true });
      }
      // The scene lasts as long as its speech, and each sentence's cue is where the engine spoke it.
      const { durationMs, cues } = await speak(
        { sentences: splitSentences(scene.narration, scene.language), voice: engineVoiceFor(scene.language, scene.voice), outPath },
        { signal },
      );
      return { durationMs, cues, usage: [] };
    },
  };
}
