import { describe, expect, it } from 'vitest';
import { GET as METRICS } from '@/app/api/metrics/route';
import { renderFamilies } from '@/lib/admin/prometheus';
import { call } from '../helpers/http';
import { parseExposition, type Exposition } from './exposition';
import { seedScenario } from './scenario';
import { ADMIN_TOKEN, useAdminApp } from './seed';

const admin = useAdminApp();

async function scrape(): Promise<Exposition> {
  const res = await call(METRICS, { url: '/api/metrics', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}


describe('GET /api/metrics', () => {
  it('parses on an empty database, with every family typed and every series at 0', async () => {
    const m = await scrape();
    expect(m.types).toEqual({
      cueframe_queue_tasks: 'gauge',
      cueframe_queue_depth: 'gauge',
      cueframe_queue_oldest_ready_age_seconds: 'gauge',
      cueframe_videos: 'gauge',
      cueframe_tasks_completed_total: 'counter',
      cueframe_tasks_retried_total: 'counter',
      cueframe_tasks_failed_total: 'counter',
      cueframe_leases_expired_total: 'counter',
      cueframe_webhook_deliveries_total: 'counter',
      cueframe_credits_captured_total: 'counter',
      cueframe_step_duration_seconds: 'histogram',
      cueframe_active_leases: 'gauge',
      cueframe_expired_leases: 'gauge',
    });
    expect(m.value('cueframe_queue_tasks', { state: 'dead', kind: 'webhook' })).toBe(0);
    expect(m.value('cueframe_queue_oldest_ready_age_seconds')).toBe(0);
    expect(m.value('cueframe_videos', { status: 'completed' })).toBe(0);
    expect(m.value('cueframe_queue_depth')).toBe(0);
    expect(m.value('cueframe_tasks_retried_total', { kind: 'render' })).toBe(0);
    expect(m.value('cueframe_webhook_deliveries_total', { outcome: 'delivered' })).toBe(0);
    expect(m.value('cueframe_credits_captured_total')).toBe(0);
    expect(m.value('cueframe_step_duration_seconds_count', { kind: 'plan' })).toBe(0);
    expect(m.value('cueframe_step_duration_seconds_bucket', { kind: 'plan', le: '+Inf' })).toBe(0);
    expect(m.value('cueframe_step_duration_seconds_count', { kind: 'webhook' })).toBe(0);
  });

  it('gauges match the seeded rows; the running totals ignore rows written around them', async () => {
    await seedScenario(admin.db);
    const m = await scrape();
    const tasks = (state: string, kind: string) => m.value('cueframe_queue_tasks', { state, kind });
    expect([tasks('ready', 'render'), tasks('running', 'render'), tasks('done', 'plan'), tasks('done', 'render'),
      tasks('done', 'compose'), tasks('dead', 'render'), tasks('dead', 'webhook'), tasks('cancelled', 'render'),
      tasks('ready', 'plan')]).toEqual([3, 2, 4, 2, 2, 1, 1, 1, 0]);
    expect(m.samples.filter((s) => s.name === 'cueframe_queue_tasks')).toHaveLength(5 * 4);
    // Ready at −90 s and −30 s are claimable; the one at +60 s is not yet.
    expect(m.value('cueframe_queue_depth')).toBe(2);
    expect(m.value('cueframe_queue_oldest_ready_age_seconds')).toBe(90);
    const videos = (status: string) => m.value('cueframe_videos', { status });
    expect(['queued', 'rendering', 'completed', 'failed', 'cancelled'].map(videos)).toEqual([0, 1, 3, 2, 1]);
    expect(m.value('cueframe_active_leases')).toBe(1);
    expect(m.value('cueframe_expired_leases')).toBe(1);
    // The scenario writes its events and ledger rows with plain inserts, which no running total sees:
    // the scrape does not count the log (tests/admin/metric-counters.test.ts drives the real writers).
    expect(m.value('cueframe_tasks_completed_total', { kind: 'plan' })).toBe(0);
    expect(m.value('cueframe_step_duration_seconds_count', { kind: 'plan' })).toBe(0);
    expect(m.value('cueframe_credits_captured_total')).toBe(0);
  });

  it('escapes label values and help text', () => {
    const text = renderFamilies([{
      name: 'x_total', type: 'counter', help: 'a \\ back\nslash',
      samples: [{ labels: { v: 'say "hi"\\n\nnext' }, value: 1 }, { value: Infinity }],
    }]);
    expect(text).toBe('# HELP x_total a \\\\ back\\nslash\n# TYPE x_total counter\nx_total{v="say \\"hi\\"\\\\n\\nnext"} 1\nx_total +Inf\n');
    const m = parseExposition(text);
    expect(m.samples[0]!.labels.v).toBe('say "hi"\\n\nnext');
  });

  it('has a parser that refuses malformed expositions', () => {
    const head = '# HELP h x\n# TYPE h histogram\n';
    const series = (a: number, b: number, inf: number, count: number) =>
      `${head}h_bucket{le="1"} ${a}\nh_bucket{le="2"} ${b}\nh_bucket{le="+Inf"} ${inf}\nh_sum 3\nh_count ${count}\n`;
    expect(() => parseExposition(series(1, 2, 2, 2))).not.toThrow();
    expect(() => parseExposition(series(2, 1, 2, 2))).toThrow(/cumulative/);
    expect(() => parseExposition(series(1, 2, 2, 3))).toThrow(/_count/);
    expect(() => parseExposition('x 1\n')).toThrow(/HELP/);
    expect(() => parseExposition('# HELP x y\n# TYPE x gauge\nx{a="b} 1\n')).toThrow(/labels/);
    expect(() => parseExposition('# HELP x y\n# TYPE x gauge\nx one\n')).toThrow(/value/);
  });
});
