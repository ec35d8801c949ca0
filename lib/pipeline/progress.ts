// A video's progress, as one pure function of its steps' states and the weights the workflow declares
// (remotion-style: named phases, each with a share of the bar). Nothing else computes a percentage.

export interface StepState {
  kind: string;
  status: string;
}

/**
 * Percent done, 0–100: each kind contributes its weight times the share of its tasks that are done,
 * over the sum of the weights. A kind with no tasks yet (renders before the plan has fanned out)
 * contributes nothing; a running task counts as not done. Floored, so 100 means every weighted step
 * is done.
 */
export function progressOf(steps: readonly StepState[], weights: Readonly<Record<string, number>>): number {
  let total = 0;
  let done = 0;
  for (const [kind, weight] of Object.entries(weights)) {
    if (!(weight > 0)) continue;
    total += weight;
    const mine = steps.filter((s) => s.kind === kind);
    if (mine.length > 0) done += (weight * mine.filter((s) => s.status === 'done').length) / mine.length;
  }
  if (total === 0) return 0;
  // The epsilon keeps 10 + 80 * 3/3 from flooring to 89.999… → 89.
  return Math.max(0, Math.min(100, Math.floor((done * 100) / total + 1e-9)));
}
