/** Polls a condition until it holds, failing after a deadline; for waiting on other processes and timers. */
export async function waitFor(cond: () => Promise<boolean> | boolean, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${opts.timeoutMs ?? 20_000} ms`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 20));
  }
}
