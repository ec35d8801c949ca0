// One bench:queue run = fresh database, bulk load, then three phases on the same table: warm-up,
// `workers` concurrent claimers, and a single claimer (the statement's own latency).
import type PgBoss from 'pg-boss';
import { openPool, withBenchDatabase } from '../lib/db';
import { waitForQuiet, type Quiet } from '../lib/machine';
import { elapsedMs, type Summary } from '../lib/stats';
import { cueframeDriver, invocationExtras, loadCueframe, type Caps } from './cueframe';
import { rowsLockedByOneClaim } from './locks';
import { measure, type Measurement, type QueueDriver } from './measure';
import { loadPgBoss, pgBossDriver, startBoss } from './pgboss';
import type { QueueBenchParams, Scenario, TableShape } from './scenarios';

export type System = 'cueframe' | 'pg-boss';

export interface Phases {
  concurrent: Measurement;
  serial: Measurement;
  /** How idle the machine was just before the phases. */
  quiet: Quiet;
}

export interface RunResult extends Phases {
  scenario: string;
  system: System;
  caps: Caps | null;
  owners: number | null;
  loadMs: number;
  extras?: { sweepMs: Summary; readyWorkMs: Summary };
  /** Other task rows one claim left row-locked (Cueframe only, measured on the fresh table). */
  extraRowsLocked?: number;
}

export interface PhasePlan {
  workers: number;
  warmup: number;
  n: number;
  serialN: number;
  phaseMaxMs: number;
}

export function phasePlan(p: QueueBenchParams): PhasePlan {
  return { workers: p.workers, warmup: p.warmup, n: p.n, serialN: p.serialN, phaseMaxMs: p.phaseMaxMs };
}

async function phases<J>(label: string, driver: QueueDriver<J>, plan: PhasePlan): Promise<Phases> {
  const quiet = await waitForQuiet(label, { maxWaitMs: 15_000 });
  await measure(driver, { workers: plan.workers, count: plan.warmup, maxMs: Math.min(plan.phaseMaxMs, 5_000) });
  const concurrent = await measure(driver, { workers: plan.workers, count: plan.n, maxMs: plan.phaseMaxMs });
  const serial = await measure(driver, { workers: 1, count: plan.serialN, maxMs: Math.min(plan.phaseMaxMs, 10_000) });
  return { concurrent, serial, quiet };
}

export async function runCueframe(
  scenario: string, shape: TableShape, owners: number, caps: Caps, plan: PhasePlan,
): Promise<RunResult> {
  return withBenchDatabase({ migrate: true }, async ({ url }) => {
    const t0 = process.hrtime.bigint();
    await loadCueframe(url, shape, owners);
    const loadMs = elapsedMs(t0);
    const db = openPool(url, Math.max(1, plan.workers));
    try {
      const extraRowsLocked = await rowsLockedByOneClaim(url, caps);
      const extras = await invocationExtras(db, 20);
      const result = await phases(`${scenario} cueframe`, cueframeDriver(db, caps), plan);
      return { scenario, system: 'cueframe', caps, owners, loadMs, extras, extraRowsLocked, ...result };
    } finally {
      await db.close();
    }
  });
}

export async function runPgBoss(scenario: string, shape: TableShape, plan: PhasePlan): Promise<RunResult> {
  return withBenchDatabase({ migrate: false }, async ({ url }) => {
    const boss: PgBoss = await startBoss(url, Math.max(1, plan.workers));
    try {
      const t0 = process.hrtime.bigint();
      await loadPgBoss(url, shape);
      const loadMs = elapsedMs(t0);
      const result = await phases(`${scenario} pg-boss`, pgBossDriver(boss), plan);
      return { scenario, system: 'pg-boss', caps: null, owners: null, loadMs, ...result };
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });
}

export function scenarioRuns(s: Scenario, p: QueueBenchParams, order: number, caps: { on: Caps; off: Caps }) {
  const plan = phasePlan(p);
  const runs = [
    () => runPgBoss(s.key, s.shape, plan),
    () => runCueframe(s.key, s.shape, p.owners, caps.on, plan),
    () => runCueframe(s.key, s.shape, p.owners, caps.off, plan),
  ];
  // Alternate the order so slow drift on the server does not always favour the same system.
  return order % 2 === 0 ? runs : [...runs].reverse();
}
