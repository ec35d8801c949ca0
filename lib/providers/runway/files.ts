// The two file hops around a Runway job: the scene image goes up inline as a data URI (the
// image lives in our storage, which Runway cannot reach), and the finished clip comes down from
// the short-lived URL Runway hands back.
import fs from 'node:fs/promises';
import path from 'node:path';
import { StepError } from '@/lib/steps/errors';

export type ReadImageFn = (imagePath: string) => Promise<string>;
export type DownloadFn = (url: string, destPath: string, signal: AbortSignal) => Promise<void>;

const mimeByExt: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' };

export async function readImageAsDataUri(imagePath: string): Promise<string> {
  const mime = mimeByExt[path.extname(imagePath).toLowerCase()] ?? 'image/png';
  const bytes = await fs.readFile(imagePath);
  return `data:${mime};base64,${bytes.toString('base64')}`;
}

export function createDownloader(fetchFn: typeof fetch = fetch): DownloadFn {
  return async (url, destPath, signal) => {
    try {
      const res = await fetchFn(url, { signal });
      if (!res.ok) {
        throw new StepError('provider_unavailable', `Downloading the clip Runway made failed (HTTP ${res.status}); the step will try again.`);
      }
      // A few MB for a 5-10 s clip: buffering is simpler than streaming and fits a function's memory.
      await fs.writeFile(destPath, new Uint8Array(await res.arrayBuffer()), { signal });
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      if (err instanceof StepError) throw err;
      const detail = err instanceof Error ? err.message : String(err);
      throw new StepError('provider_unavailable', `Downloading the clip Runway made failed (${detail}); the step will try again.`, { cause: err });
    }
  };
}
