// The in-process daily timer, on vitest's fake clock: when it fires, that runs never overlap, that
// a failing run is logged and the next one still comes, and that stop() ends it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startCleanupTimer } from '@/lib/cleanup/schedule';

const DAY = 24 * 3600_000;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('startCleanupTimer', () => {
  it('runs a minute after start, then once a day, until stopped', async () => {
    let runs = 0;
    const stop = startCleanupTimer(async () => void runs++);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(runs).toBe(2);
    stop();
    await vi.advanceTimersByTimeAsync(3 * DAY);
    expect(runs).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never starts a run while the previous one is still going', async () => {
    let started = 0;
    let finish: () => void = () => {};
    const stop = startCleanupTimer(() => {
      started += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    }, 1_000, 10);
    await vi.advanceTimersByTimeAsync(10 + 5_000);
    expect(started).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(999);
    expect(started).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toBe(2);
    stop();
  });

  it('logs a failed run and keeps the schedule', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    let runs = 0;
    const stop = startCleanupTimer(async () => {
      runs += 1;
      throw new Error('store unreachable');
    }, 1_000, 10);
    await vi.advanceTimersByTimeAsync(10 + 1_000);
    expect(runs).toBe(2);
    const logged = errors.mock.calls.map((c) => JSON.parse(String(c[0])));
    expect(logged[0]).toMatchObject({ level: 'error', msg: 'scheduled cleanup failed', err: 'store unreachable' });
    stop();
  });
});
