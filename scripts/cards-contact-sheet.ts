// npx tsx scripts/cards-contact-sheet.ts [outDir]
// Renders the local provider's cards the way a video gets them (plan -> sceneImage), for every aspect ratio we
// ship: the title card and two scene cards each, plus a 1080p row and one frame with captions burned in, then tiles
// them into test-artifacts/cards-contact-sheet.png to look at. Prints each card's render time.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { dimensionsFor, type AspectRatio, type Resolution } from '@/lib/media/dimensions';
import { createCommand, runCommand } from '@/lib/media/ffmpeg';
import { kenBurnsClip } from '@/lib/media/kenburns';
import { speakSentences } from '@/lib/media/speech';
import { engineVoiceFor } from '@/lib/providers/local/voices';
import { createLocalProvider } from '@/lib/providers/local';
import type { SceneInput } from '@/lib/providers/types';

interface Row {
  topic: string;
  description: string | null;
  script?: string[];
  aspect: AspectRatio;
  resolution: Resolution;
  videoId: string;
  language?: 'en' | 'es' | 'fr' | 'de' | 'it' | 'pt';
}

const id = (n: number) => `0b6c1f2e-0000-4000-8000-00000000000${n}`;
const rows: Row[] = [
  { topic: 'How do bees make honey?', aspect: '16:9', resolution: '720p', videoId: id(1),
    description: 'Bees visit thousands of flowers to collect nectar. Inside the hive, workers fan the nectar until it thickens.' },
  { topic: 'Learn to bake sourdough at home with a simple starter', description: null, aspect: '16:9', resolution: '1080p', videoId: id(7) },
  { topic: '¿Cómo funcionan los volcanes?', description: null, aspect: '9:16', resolution: '720p', videoId: id(2), language: 'es',
    script: ['El magma sube desde el manto de la Tierra.', 'La lava sale por el cráter a más de 1.000 °C: ¡100% peligrosa!', 'Über Größe: «ça marche», 50% "sûr" et C:\\chemin. Fin.'] },
  { topic: 'The Roman Empire', description: null, aspect: '9:16', resolution: '1080p', videoId: id(3) },
  { topic: "NASA's Artemis program", description: 'Artemis aims to land astronauts near the lunar south pole. The Orion capsule carries the crew.', aspect: '1:1', resolution: '720p', videoId: id(4) },
  { topic: 'Les trous noirs', description: null, aspect: '1:1', resolution: '1080p', videoId: id(8), language: 'fr',
    script: ['Un trou noir est une région où la gravité ne laisse rien s\'échapper.', 'Même la lumière y reste piégée : c\'est « l\'horizon ».', 'Fin.'] },
  { topic: 'Why is the sky blue?', description: null, aspect: '4:3', resolution: '720p', videoId: id(5) },
  { topic: 'Wie funktioniert ein Vulkan?', description: null, aspect: '3:4', resolution: '1080p', videoId: id(6), language: 'de',
    script: ['Tief unter der Erde schmilzt Gestein zu Magma.', 'Der Druck steigt, bis die Schmelze nach oben drängt: Ausbruch!', 'Übrig bleibt ein Kegel aus Asche und Lava.'] },
  { topic: 'Learn to play chess', description: null, aspect: '21:9', resolution: '720p', videoId: id(9) },
];

const TILE_HEIGHT = 320;

async function tile(inputs: string[], outPath: string, layout: 'row' | 'column', padTo?: number): Promise<void> {
  const cmd = createCommand();
  for (const file of inputs) cmd.input(file);
  const scaled = inputs.map((_, i) => `[${i}:v]scale=-2:${TILE_HEIGHT},pad=iw+12:ih+12:6:6:color=0x101010[t${i}]`);
  const stack = layout === 'row'
    ? `${inputs.map((_, i) => `[t${i}]`).join('')}hstack=inputs=${inputs.length}${padTo ? `,pad=${padTo}:ih:0:0:color=0x101010` : ''}[v]`
    : `${inputs.map((_, i) => `[${i}:v]`).join('')}vstack=inputs=${inputs.length}[v]`;
  const graph = layout === 'row' ? [...scaled, stack].join(';') : stack;
  cmd.complexFilter(graph, ['v']).outputOptions(['-frames:v', '1', '-c:v', 'png', '-f', 'image2pipe']).output(outPath);
  await runCommand(cmd);
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? 'test-artifacts');
  const cardsDir = path.join(outDir, 'cards');
  await mkdir(cardsDir, { recursive: true });
  const provider = createLocalProvider();
  const signal = new AbortController().signal;
  const rowFiles: string[] = [];
  const timings: number[] = [];

  for (const [r, row] of rows.entries()) {
    const { width, height } = dimensionsFor(row.aspect, row.resolution);
    const { scenes } = await provider.plan({
      topic: row.topic, description: row.description, sceneCount: row.script?.length ?? 5,
      aspectRatio: row.aspect, resolution: row.resolution, script: row.script ?? null, language: row.language ?? 'en',
    }, { signal });
    const files: string[] = [];
    for (const i of [0, 1, 2]) {
      const scene = scenes[i]!;
      const input: SceneInput = {
        videoId: row.videoId, topic: row.topic, sceneIndex: i, sceneCount: scenes.length, narration: scene.narration,
        visualPrompt: scene.visualPrompt, durationMs: scene.durationMs, aspectRatio: row.aspect, width, height, voice: 'ava',
        language: row.language ?? 'en',
      };
      const file = path.join(cardsDir, `row${r}-${row.aspect.replace(':', 'x')}-${row.resolution}-${i}.png`);
      const started = performance.now();
      await provider.sceneImage(input, file, { signal });
      const ms = performance.now() - started;
      timings.push(ms);
      console.log(`${row.aspect} ${row.resolution} scene ${i}: ${ms.toFixed(0)} ms  | ${scene.narration}`);
      files.push(file);
    }
    if (r === 0) {
      // The title card as the viewer meets it: in motion, with the first caption burned in, at about 1 s.
      const audio = path.join(cardsDir, 'speech.m4a');
      await speakSentences({ sentences: [scenes[0]!.narration], voice: engineVoiceFor('en', 'ava'), outPath: audio }, { signal });
      const clip = path.join(cardsDir, 'captioned.mp4');
      await kenBurnsClip({
        imagePath: files[0]!, audioPath: audio, durationMs: 2000, width, height, seed: 0, outPath: clip,
        captions: [{ text: scenes[0]!.narration, startMs: 0, endMs: 2000 }],
      }, { signal });
      const frame = path.join(cardsDir, 'captioned-1s.png');
      await runCommand(createCommand().input(clip).inputOptions(['-ss', '1'])
        .outputOptions(['-frames:v', '1', '-c:v', 'png', '-f', 'image2pipe']).output(frame));
      files.push(frame);
    }
    const rowFile = path.join(cardsDir, `row${r}.png`);
    await tile(files, rowFile, 'row', 4 * (Math.round((TILE_HEIGHT * 16) / 9 / 2) * 2 + 12));
    rowFiles.push(rowFile);
  }
  const sheet = path.join(outDir, 'cards-contact-sheet.png');
  await tile(rowFiles, sheet, 'column');
  const sorted = [...timings].sort((a, b) => a - b);
  console.log(`cards: ${timings.length}, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`);
  console.log(`wrote ${sheet}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
