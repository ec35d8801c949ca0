// npm run bench:ttv — time to video: click → playable MP4 for one 4-scene 16:9 720p local video, through
// the whole app (generate's code path, the queue with two workers, storage, compose), side by side with
// a bare script that does the same media work with the same parallelism (bench/ttv/bare.ts). Runs are
// interleaved so drift in machine load hits both alike. Target: pipeline ≤ 1.3× the bare script.
import './lib/quiet';
import type { App } from '@/lib/app';
import type { Db } from '@/lib/db/types';
import { enqueueVideo, sleep, withBenchApp } from './lib/app';
import { closeBenchServer } from './lib/db';
import { cpuTotals, idleSince, machineInfo, machineLine, setQuietBudget, waitForQuiet } from './lib/machine';
import { fmt, markdownTable, writeResult, type Cell } from './lib/report';
import { elapsedMs, median } from './lib/stats';
import { bareVideo, type BareResult } from './ttv/bare';
import { DEFAULT_MUSIC, DEFAULT_MUSIC_VOLUME } from '@/lib/schemas/video';

function envInt(name: string, def: number): number {
  const v = Number(process.env[name] ?? def);
  return Number.isInteger(v) && v > 0 ? v : def;
}

const RUNS = envInt('BENCH_TTV_RUNS', 3);
const SCENES = 4;
const CONCURRENCY = 2;
const TOPIC = 'How do bees make honey?';
const TARGET = 1.3;

interface PipelineRun {
  wallMs: number;
  status: string;
  stepMs: Record<string, number>;
  /** Enqueue → plan started, plan finished → first render started, last render finished → compose started. */
  gapsMs: { toPlan: number; toRender: number; toCompose: number };
  busy: number;
}

async function waitForTerminal(db: Db, id: string, maxMs: number): Promise<string> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const r = await db.query<{ status: string }>('select status from videos where id = $1::uuid', [id]);
    const status = r.rows[0]?.status ?? 'missing';
    if (['completed', 'failed', 'cancelled', 'missing'].includes(status) || Date.now() > deadline) return status;
    // Polled, not pushed: 10 ms is under 0.5% of the shortest wall time measured.
    await sleep(10);
  }
}

async function timeline(db: Db, id: string, enqueuedAt: number): Promise<Pick<PipelineRun, 'stepMs' | 'gapsMs'>> {
  const r = await db.query<{ kind: string; started: Date; finished: Date }>(
    `select t.kind, min(s.at) as started, max(f.at) as finished
     from tasks t
     join task_events s on s.task_id = t.id and s.type = 'step_started'
     join task_events f on f.task_id = t.id and f.type = 'step_finished'
     where t.video_id = $1::uuid group by t.id, t.kind`,
    [id],
  );
  const stepMs: Record<string, number> = {};
  const first = (kind: string) => Math.min(...r.rows.filter((x) => x.kind === kind).map((x) => x.started.getTime()));
  const last = (kind: string) => Math.max(...r.rows.filter((x) => x.kind === kind).map((x) => x.finished.getTime()));
  for (const row of r.rows) stepMs[row.kind] = (stepMs[row.kind] ?? 0) + (row.finished.getTime() - row.started.getTime());
  return {
    stepMs,
    gapsMs: { toPlan: first('plan') - enqueuedAt, toRender: first('render') - last('plan'), toCompose: first('compose') - last('render') },
  };
}

async function pipelineOnce(): Promise<PipelineRun> {
  const env = { SCHEDULER: 'on', QUEUE_CONCURRENCY: String(CONCURRENCY), VIDEO_PROVIDER: 'local' };
  return withBenchApp(env, async (app: App) => {
    const cpu0 = cpuTotals();
    const t0 = process.hrtime.bigint();
    const video = await enqueueVideo(app, { topic: TOPIC, sceneCount: SCENES, resolution: '720p' }, { ownerId: 'bench-ttv', kick: true });
    const status = await waitForTerminal(app.db, video.id, 300_000);
    const wallMs = elapsedMs(t0);
    const busy = 1 - idleSince(cpu0);
    return { wallMs, status, busy, ...(await timeline(app.db, video.id, video.at)) };
  });
}

async function bareOnce(): Promise<BareResult & { busy: number }> {
  const cpu0 = cpuTotals();
  const r = await bareVideo({
    topic: TOPIC, sceneCount: SCENES, aspectRatio: '16:9', resolution: '720p', language: 'en', voice: 'ava',
    concurrency: CONCURRENCY, music: DEFAULT_MUSIC, musicVolume: DEFAULT_MUSIC_VOLUME,
  });
  return { ...r, busy: 1 - idleSince(cpu0) };
}

async function main(): Promise<void> {
  setQuietBudget(240_000);
  const machine = await machineInfo();
  const started = process.hrtime.bigint();
  console.log(`# bench:ttv\n\n${machineLine(machine)}\n`);
  // One unmeasured round first: the speech engine's WebAssembly and ffmpeg's pages load once per process.
  await bareOnce();
  const pipes: PipelineRun[] = [];
  const bares: Array<BareResult & { busy: number }> = [];
  for (let i = 1; i <= RUNS; i++) {
    await waitForQuiet(`run ${i}`, { maxWaitMs: 60_000 });
    const p = await pipelineOnce();
    pipes.push(p);
    const b = await bareOnce();
    bares.push(b);
    console.error(`run ${i}: pipeline ${p.status} ${fmt(p.wallMs / 1000, 2)} s, bare ${fmt(b.wallMs / 1000, 2)} s`);
  }
  const rows: Cell[][] = pipes.map((p, i) => [
    i + 1, fmt(p.wallMs / 1000, 2), fmt(bares[i]!.wallMs / 1000, 2), `${fmt(p.wallMs / bares[i]!.wallMs, 2)}×`,
    fmt(p.gapsMs.toPlan, 0), fmt((p.stepMs.plan ?? 0), 0), fmt(p.gapsMs.toRender, 0), fmt((p.stepMs.render ?? 0) / 1000, 2),
    fmt(p.gapsMs.toCompose, 0), fmt((p.stepMs.compose ?? 0) / 1000, 2),
    fmt(bares[i]!.phases.scenesMs / 1000, 2), fmt(bares[i]!.phases.composeMs / 1000, 2),
    `${fmt(p.busy * 100, 0)}% / ${fmt(bares[i]!.busy * 100, 0)}%`,
  ]);
  console.log(`## Click → playable MP4: one ${SCENES}-scene 16:9 720p local video, ${CONCURRENCY} workers\n`);
  console.log(markdownTable(['Run', 'Pipeline s', 'Bare script s', 'Ratio', 'Enqueue→plan ms', 'Plan ms', 'Plan→render ms',
    'Render Σ s', 'Render→compose ms', 'Compose s', 'Bare scenes s', 'Bare compose s', 'CPU busy (pipe / bare)'], rows));
  const mp = median(pipes.map((p) => p.wallMs));
  const mb = median(bares.map((b) => b.wallMs));
  const ratio = mp / mb;
  console.log(`\nMedian: pipeline ${fmt(mp / 1000, 2)} s, bare script ${fmt(mb / 1000, 2)} s, ratio ${fmt(ratio, 2)}× ` +
    `(target ≤ ${TARGET}×: ${ratio <= TARGET ? 'PASS' : 'MISS'}).\n`);
  const totalMs = elapsedMs(started);
  const file = await writeResult('ttv', { machine, params: { RUNS, SCENES, CONCURRENCY, TOPIC }, pipes, bares, ratio, totalMs });
  console.log(`Total ${fmt(totalMs / 1000, 0)} s. JSON: ${file}`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(closeBenchServer);
