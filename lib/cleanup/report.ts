// Collects what a run removed. Each removal is counted by the run that actually performed it, so two
// overlapping runs' reports add up to what disappeared, with nothing counted twice.
import { log } from '@/lib/log';
import type { Category, CleanupReport } from './types';

const KEYS_IN_REPORT = 100;

export class ReportBuilder {
  private readonly removed: CleanupReport['removed'] = { intermediates: 0, orphans: 0, tempFiles: 0, staleUploads: 0 };
  private bytesFreed = 0;
  private idleOwners = 0;
  private reviews = 0;
  private readonly keys: string[] = [];
  private readonly warnings: string[] = [];

  /** key: a storage key, listed in the report; temp paths are counted but not listed. */
  add(category: Category, bytes: number, key?: string): void {
    this.removed[category] += 1;
    this.bytesFreed += bytes;
    if (key !== undefined && this.keys.length < KEYS_IN_REPORT) this.keys.push(key);
  }

  idleQueueOwners(n: number): void {
    this.idleOwners += n;
  }

  expiredReviews(n: number): void {
    this.reviews += n;
  }

  warn(message: string): void {
    this.warnings.push(message);
    log.warn('cleanup warning', { message });
  }

  finish(skippedActive: number, durationMs: number): CleanupReport {
    return {
      removed: { ...this.removed },
      bytesFreed: this.bytesFreed,
      idleQueueOwners: this.idleOwners,
      expiredReviews: this.reviews,
      keys: [...this.keys],
      skippedActive,
      durationMs,
      warnings: [...this.warnings],
    };
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
