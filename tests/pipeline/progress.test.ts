// Progress is one pure function of the steps' states and the workflow's declared weights.
import { describe, expect, it } from 'vitest';
import { progressOf, type StepState } from '@/lib/pipeline/progress';
import { progressWeights } from '@/lib/pipeline/workflow';

const tasks = (kind: string, statuses: string[]): StepState[] => statuses.map((status) => ({ kind, status }));

describe('progressOf', () => {
  it('follows the video through its steps with the declared weights (plan 10, render 80, compose 10)', () => {
    expect(progressOf([], progressWeights)).toBe(0);
    expect(progressOf(tasks('plan', ['running']), progressWeights)).toBe(0);
    const planned = tasks('plan', ['done']);
    expect(progressOf(planned, progressWeights)).toBe(10);
    expect(progressOf([...planned, ...tasks('render', ['ready', 'running', 'ready'])], progressWeights)).toBe(10);
    expect(progressOf([...planned, ...tasks('render', ['done', 'running', 'ready'])], progressWeights)).toBe(36);
    expect(progressOf([...planned, ...tasks('render', ['done', 'done', 'dead'])], progressWeights)).toBe(63);
    const rendered = [...planned, ...tasks('render', ['done', 'done', 'done'])];
    expect(progressOf(rendered, progressWeights)).toBe(90);
    expect(progressOf([...rendered, ...tasks('compose', ['running'])], progressWeights)).toBe(90);
    expect(progressOf([...rendered, ...tasks('compose', ['done'])], progressWeights)).toBe(100);
  });

  it('ignores kinds without weight, such as webhook deliveries, and unknown kinds', () => {
    const done = [...tasks('plan', ['done']), ...tasks('render', ['done']), ...tasks('compose', ['done'])];
    expect(progressOf([...done, ...tasks('webhook', ['dead', 'ready'])], progressWeights)).toBe(100);
    expect(progressOf([...tasks('plan', ['done']), ...tasks('mystery', ['ready'])], progressWeights)).toBe(10);
  });

  it('never floors a finished share below its weight, for any scene count', () => {
    for (let n = 1; n <= 12; n++) {
      const all = [...tasks('plan', ['done']), ...tasks('render', Array(n).fill('done'))];
      expect(progressOf(all, progressWeights)).toBe(90);
      for (let k = 0; k <= n; k++) {
        const some = [...tasks('plan', ['done']), ...tasks('render', [...Array(k).fill('done'), ...Array(n - k).fill('ready')])];
        expect(progressOf(some, progressWeights)).toBe(10 + Math.floor((80 * k) / n));
      }
    }
  });

  it('is 0 with no weights at all', () => {
    expect(progressOf(tasks('plan', ['done']), {})).toBe(0);
  });
});
