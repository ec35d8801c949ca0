import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ProbeResult } from '@/lib/media/types';

// Every character class that has broken ffmpeg filter graphs before: quotes, colon, percent (drawtext
// expansion), backslash, brackets/semicolons/commas (graph syntax), emoji and right-to-left Arabic.
export const trickyTitle = `Scene "2": it's 100% \\ done 🎬`;
export const trickyBody =
  `He said "don't": 50% off; C:\\path\\to\\file, [graph] %{pts} %{no_such_fn} \\n emoji 🎉🚀😀 ` +
  'and Arabic: مرحبا بالعالم، هذا نص عربي. ' +
  'Long narration keeps going so the wrapper has to break it across several lines. '.repeat(6);

export async function makeTmpDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function streamsOf(result: ProbeResult, type: 'video' | 'audio') {
  return result.streams.filter((s) => s.type === type);
}
