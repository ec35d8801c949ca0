// Preloaded into the bench's `next start` (NODE_OPTIONS=--import) to tell a blocked server from one
// that waits: on each SIGUSR2 it appends what its main thread went through since the last signal to
// CUEFRAME_LOOP_MONITOR_OUT, one JSON line, and starts over. bench/http/loop.ts sends the signals at
// each phase's window edges. Event-loop delay counts both JavaScript that runs long and a thread the
// kernel did not schedule; GC pauses are reported apart, so what is left is the other two.
// It also counts full (mark-compact) GCs and how much old space grew between GCs: what the young
// generation promoted plus what was allocated old directly (maps), i.e. what the next full GC must
// collect. A request whose objects die young adds nothing there.
import fs from 'node:fs';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

const out = process.env.CUEFRAME_LOOP_MONITOR_OUT;
if (out) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const oldUsed = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0;
  const fresh = () => ({ count: 0, totalMs: 0, maxMs: 0, full: 0, oldGrowthMb: 0 });
  let gc = fresh();
  let lastOld = oldUsed();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      gc.totalMs += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
      if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.full++;
    }
    // Read once per batch of entries: growth since the last reading, and nothing for a full GC's drop.
    const now = oldUsed();
    gc.oldGrowthMb += Math.max(0, now - lastOld) / 1e6;
    lastOld = now;
  }).observe({ entryTypes: ['gc'] });
  let since = performance.now();
  process.on('SIGUSR2', () => {
    const now = performance.now();
    const ms = (ns) => ns / 1e6;
    const line = {
      windowMs: now - since,
      delayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      gc,
    };
    fs.appendFileSync(out, `${JSON.stringify(line)}\n`);
    delay.reset();
    gc = fresh();
    since = now;
  });
}
