// A scene's paid intermediates (image, narration) live in storage under deterministic keys. A step
// that finds one restores it instead of calling the provider again, so a crash or retry never pays twice.
import { readFile } from 'node:fs/promises';
import type { SpokenCue } from '@/lib/providers/types';
import type { Storage } from '@/lib/storage/types';

export async function reuseOrMake(
  storage: Storage,
  key: string,
  localPath: string,
  contentType: string,
  make: () => Promise<void>,
): Promise<'reused' | 'made'> {
  if (await storage.head(key)) {
    await storage.download(key, localPath);
    return 'reused';
  }
  await make();
  await storage.put(key, { filePath: localPath }, { contentType, access: 'private' });
  return 'made';
}

/**
 * The caption timing stored beside a reused narration, or null when there is none (the provider measured
 * nothing) or it cannot be read: captions then fall back to an estimate instead of failing the render.
 */
export async function storedCues(storage: Storage, key: string, localPath: string): Promise<SpokenCue[] | null> {
  if (!(await storage.head(key))) return null;
  await storage.download(key, localPath);
  try {
    const parsed: unknown = JSON.parse(await readFile(localPath, 'utf8'));
    return Array.isArray(parsed) && parsed.length && parsed.every(isCue) ? parsed : null;
  } catch {
    return null;
  }
}

function isCue(c: unknown): c is SpokenCue {
  if (!c || typeof c !== 'object') return false;
  const { text, startMs, endMs } = c as Record<string, unknown>;
  return typeof text === 'string' && Number.isFinite(startMs) && Number.isFinite(endMs) && (startMs as number) <= (endMs as number);
}
