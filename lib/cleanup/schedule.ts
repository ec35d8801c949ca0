// Daily cleanup for processes that run the in-process scheduler (Vercel Cron does not run locally).
// Runs never overlap: the next one is scheduled only when the previous one has finished.
import { errorFields, log } from '@/lib/log';

const DAY_MS = 24 * 60 * 60 * 1000;
const FIRST_RUN_MS = 60 * 1000;

/** Starts the timer; the returned function stops it (a run in progress finishes on its own). */
export function startCleanupTimer(run: () => Promise<unknown>, everyMs = DAY_MS, firstRunMs = FIRST_RUN_MS): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(tick, delayMs);
    timer.unref?.(); // housekeeping must never keep a process alive
  };
  const tick = () => {
    run()
      .catch((err: unknown) => log.error('scheduled cleanup failed', errorFields(err)))
      .finally(() => schedule(everyMs));
  };

  schedule(firstRunMs);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
