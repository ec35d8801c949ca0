// Preloaded into the bench's `next start` (NODE_OPTIONS=--import) to tell a blocked server from one
// that waits: on each SIGUSR2 it appends what its main thread went through since the last signal to
// CUEFRAME_LOOP_MONITOR_OUT, one JSON line, and starts over. bench/http/loop.ts sends the signals at
// each phase's window edges. Event-loop delay counts both JavaScript that runs long and a thread the
// kernel did not schedule; GC pauses are reported apart, so what is left is the other two.
import fs from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const out = process.env.CUEFRAME_LOOP_MONITOR_OUT;
if (out) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let gc = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      gc.totalMs += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
    }
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
    gc = { count: 0, totalMs: 0, maxMs: 0 };
    since = now;
  });
}
