// A scene's paid intermediates (image, narration) live in storage under deterministic keys. A step
// that finds one restores it instead of calling the provider again, so a crash or retry never pays twice.
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
