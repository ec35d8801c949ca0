// The in-process scheduler: Vercel Cron does not run locally (or on a self-hosted `next start`), so
// each server process runs `concurrency` loops that drain the queue. A kick wakes them at once; the
// poll interval is only the safety net, as cron is on Vercel.
import { errorFields, log } from '@/lib/log';

export interface SchedulerOptions {
  concurrency: number;
  pollMs: number;
  /** Processes one task; resolves true if there was one, so the loop keeps going without waiting. */
  runOnce: () => Promise<boolean>;
}

export class Scheduler {
  private running = false;
  private loops: Promise<void>[] = [];
  private waiters = new Set<() => void>();
  private stopHooks: (() => void)[] = [];

  constructor(private readonly opts: SchedulerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Array.from({ length: this.opts.concurrency }, () => this.loop());
  }

  wake(): void {
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  /** Runs when the scheduler stops, e.g. to stop timers that live as long as it does. */
  onStop(hook: () => void): void {
    this.stopHooks.push(hook);
  }

  async stop(): Promise<void> {
    this.stopHooks.splice(0).forEach((hook) => hook());
    this.running = false;
    this.wake();
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.opts.runOnce();
      } catch (err) {
        log.error('scheduler run failed', errorFields(err));
      }
      if (!worked && this.running) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.opts.pollMs);
      timer.unref?.();
      this.waiters.add(done);
    });
  }
}
