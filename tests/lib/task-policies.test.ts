// The kinds' policies come from the workflow's declaration and the environment, which names no kind
// in lib/config.ts: MAX_ATTEMPTS_<KIND> and ESTIMATE_MS_<KIND> are read for whatever kind is declared.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@/lib/config';
import { configuredPolicies, workflow } from '@/lib/pipeline/workflow';

const policies = (env: Record<string, string>) => configuredPolicies(loadConfig({ DATA_DIR: '/tmp/x', ...env }).taskPolicies);

describe('task policies', () => {
  it('are the declared ones with nothing set', () => {
    expect(policies({})).toEqual(Object.fromEntries(Object.entries(workflow).map(([k, s]) => [k, s.policy])));
    expect(policies({}).webhook).toEqual({ maxAttempts: 8, estimateMs: 15_000 });
  });

  it('take MAX_ATTEMPTS for the steps that make the video, not for the delivery that reports on it', () => {
    const p = policies({ MAX_ATTEMPTS: '3' });
    expect([p.plan.maxAttempts, p.render.maxAttempts, p.compose.maxAttempts, p.webhook.maxAttempts]).toEqual([3, 3, 3, 8]);
  });

  it('take a kind\'s own settings first, for any declared kind', () => {
    const p = policies({ MAX_ATTEMPTS: '3', MAX_ATTEMPTS_RENDER: '7', ESTIMATE_MS_RENDER: '1234', MAX_ATTEMPTS_WEBHOOK: '2', ESTIMATE_MS_WEBHOOK: '' });
    expect(p.render).toEqual({ maxAttempts: 7, estimateMs: 1234 });
    expect(p.webhook).toEqual({ maxAttempts: 2, estimateMs: 15_000 });
    expect(p.plan).toEqual({ maxAttempts: 3, estimateMs: 30_000 });
  });

  it('refuse a value that is not a positive whole number, naming the variable', () => {
    expect(() => policies({ MAX_ATTEMPTS_PLAN: '0' })).toThrow(/MAX_ATTEMPTS_PLAN must be a positive whole number/);
    expect(() => policies({ ESTIMATE_MS_COMPOSE: '1.5' })).toThrow(/ESTIMATE_MS_COMPOSE/);
  });
});
