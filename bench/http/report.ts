// The markdown bench:http prints: throughput and latency per phase against the bare route, the targets
// met or not, where the CPU went, memory while rendering, and the in-process profile.
import { fmt, markdownTable, type Cell } from '../lib/report';
import { median } from '../lib/stats';
import type { HttpBenchResult, Phase, Round } from './index';

const pct = (x: number) => `${fmt(x * 100, 0)}%`;
const yes = (ok: boolean) => (ok ? '**met**' : '**not met**');

function statuses(p: Phase): string {
  const s = Object.entries(p.load.statuses).map(([k, n]) => `${k}: ${n.toLocaleString('en-US')}`).join(', ');
  return p.load.errors ? `${s}, errors: ${p.load.errors}` : s;
}

/** Each route's ratio to its own round's bare run: the medians, and the lowest rounds. */
function roundRatios(rounds: Round[]) {
  if (!rounds.length) return null;
  const ratios = (f: (x: Round) => number) => rounds.map((x) => f(x) / x.bare);
  return {
    generate: median(ratios((x) => x.generate)),
    statusInm: median(ratios((x) => x.statusInm)),
    statusPlain: median(ratios((x) => x.statusPlain)),
    barePost: median(ratios((x) => x.barePost)),
    lowestGenerate: Math.min(...ratios((x) => x.generate)),
    lowestStatusInm: Math.min(...ratios((x) => x.statusInm)),
  };
}

export function report(r: HttpBenchResult, machine: string): string {
  const out: string[] = [];
  const rounds = roundRatios(r.rounds);
  const find = (name: string) => r.phases.find((p) => p.name === name);
  const before = find('health (before)');
  const after = find('health (after)');
  const bare = before && after ? (before.load.rps + after.load.rps) / 2 : before?.load.rps ?? Number.NaN;
  const bare1 = find('health, 1 connection')?.load.rps ?? Number.NaN;
  // Ratios compare like with like: one-connection phases against the one-connection bare run.
  const base = (p: Phase) => (p.load.connections === 1 ? bare1 : bare);
  const gen = find('generate');
  const open = (prefix: string) => r.phases.find((p) => p.name.startsWith(prefix) && p.load.offeredRps !== null);
  const genOpen = open('generate, open loop');
  const plainOpen = open('status (plain GET), open loop');
  const condOpen = open('status (If-None-Match), open loop');
  const plain = find('status (plain GET)');
  const cond = find('status (If-None-Match)');

  out.push(`# bench:http\n\n${machine}\n`);
  out.push(`${r.params.CONNECTIONS} connections, ${Number(r.params.WARMUP_MS) / 1000} s warm-up + ${Number(r.params.DURATION_MS) / 1000} s measured ` +
    'per phase (5 s for the one-connection phases), one `next start` process (SCHEDULER=off) on PostgreSQL over TCP' +
    (r.params.SERVER_WARMUP_MS ? `, driven unrecorded for ${Number(r.params.SERVER_WARMUP_MS) / 1000} s per route before the first phase. ` : '. ') +
    `"÷ bare" is against the mean of the two 64-connection GET /api/health runs (${fmt(bare, 0)} req/s), or the one-connection one.\n`);
  out.push(markdownTable(
    ['Phase', 'Offered req/s', 'Requests', 'req/s', '÷ bare', 'p50 ms', 'p99 ms', 'max ms', 'Statuses', 'Server CPU ms/req', 'PG CPU ms/req', 'PG xacts/req', 'Pool: active / open'],
    r.phases.map((p): Cell[] => [
      p.name, p.load.offeredRps === null ? 'closed loop' : fmt(p.load.offeredRps, 0), p.load.requests.toLocaleString('en-US'), fmt(p.load.rps, 0), pct(p.load.rps / base(p)), fmt(p.load.latencyMs.p50, 1),
      fmt(p.load.latencyMs.p99, 1), fmt(p.load.latencyMs.max, 1), statuses(p), fmt(p.serverCpuMsPerReq, 2), fmt(p.postgresCpuMsPerReq, 2),
      fmt(p.db.xactPerReq, 2), `${fmt(p.activity.meanActive + p.activity.meanIdleInTransaction, 1)} / ${fmt(p.activity.meanConnections, 1)}`,
    ]),
  ));
  if (before && after) {
    const drift = after.load.rps / before.load.rps - 1;
    out.push(`\nBare route stability: ${fmt(before.load.rps, 0)} req/s before, ${fmt(after.load.rps, 0)} after (${drift >= 0 ? '+' : ''}${pct(drift)}).`);
  }
  out.push(`\nCPU while measured, in cores busy (${r.machine.nproc} available). "Other" is everything else on the machine: ` +
    'PostgreSQL background processes, and any other work on a shared machine.\n');
  out.push(markdownTable(['Phase', 'Idle before', 'Server', 'PostgreSQL backends', 'Load generator', 'Other', 'Server RSS after, MB'],
    r.phases.map((p): Cell[] => [p.name, pct(p.quiet.idle), fmt(p.cpu.serverCores, 2), fmt(p.cpu.postgresCores, 2), fmt(p.cpu.clientCores, 2),
      fmt(p.cpu.otherCores, 2), fmt(p.rssMbAfter, 0)])));
  const looped = r.phases.filter((p) => p.loop);
  if (looped.length) {
    out.push('\nThe server\'s main thread while measured (bench/http/loop-monitor.mjs): event-loop delay is how late a 5 ms timer ran, ' +
      'whether JavaScript ran long or the kernel did not schedule the thread; GC pauses are counted apart. A delay p99 far below a ' +
      'phase\'s latency p99 means requests waited elsewhere (PostgreSQL, the pool, the batcher), not on a blocked loop.\n');
    out.push('The last two columns are the load generator\'s own loop: a request\'s latency ends when that loop reads the answer, so ' +
      'its delay adds to every latency measured and is not the server\'s.\n');
    out.push('"Old space per request" is how much the old generation grew between GCs, per request in the window: objects that ' +
      'outlived two minor GCs, and maps, which are allocated old. Full GCs collect it; the more a request leaves there, the more ' +
      'often they run.\n');
    out.push(markdownTable(['Phase', 'Loop delay p50 ms', 'p99 ms', 'max ms', 'GC pauses', 'GC total ms', 'Longest GC ms', 'Full GCs',
      'Old space per request, KB', 'Load generator loop p99 ms', 'max ms'],
      looped.map((p): Cell[] => [p.name, fmt(p.loop!.delayMs.p50, 1), fmt(p.loop!.delayMs.p99, 1), fmt(p.loop!.delayMs.max, 1),
        String(p.loop!.gc.count), fmt(p.loop!.gc.totalMs, 0), fmt(p.loop!.gc.maxMs, 1), String(p.loop!.gc.full),
        fmt((p.loop!.gc.oldGrowthMb * 1e3) / Math.max(1, p.load.requests), 1),
        fmt(p.load.clientLoopDelayMs?.p99 ?? Number.NaN, 1), fmt(p.load.clientLoopDelayMs?.max ?? Number.NaN, 1)])));
  }
  if (cond) {
    const n304 = cond.load.statuses['304'] ?? 0;
    out.push(`\nIf-None-Match run: ${pct(n304 / Math.max(1, cond.load.requests))} 304s (${n304.toLocaleString('en-US')} of ${cond.load.requests.toLocaleString('en-US')}), ` +
      `after a ${fmt(cond.load.warmupMs / 1000, 1)} s warm-up in which each client made its first round` +
      `${cond.load.readyAtStart ? '' : ' (cut short by the time limit: not every client had seen every ETag)'}; ` +
      `signed-URL boundary crossed during the run: ${cond.signedUrlBoundaryCrossed ? 'yes' : 'no'}. Mean 200 body: ` +
      `${fmt(plain?.load.meanBodyBytes['200'] ?? Number.NaN, 0)} bytes.`);
  }
  if (gen?.ownerRotations) out.push(`Generate: ${gen.ownerRotations} answers refused an owner (402/429) and the client moved to a fresh owner.`);

  out.push('\n## Targets\n');
  const rows: Cell[][] = [];
  const served = (p: Phase) => `${fmt(p.load.rps, 0)} req/s = ${pct(p.load.rps / bare)}, p99 ${fmt(p.load.latencyMs.p99, 1)} ms`;
  if (genOpen) {
    const bareSame = r.phases.find((p) => p.name.startsWith('health, open loop') && p.load.offeredRps === genOpen.load.offeredRps);
    rows.push(['Enqueue p99 ≤ 25 ms while serving ≥ 50% of bare (open loop)',
      `${served(genOpen)}${bareSame ? ` (the bare route at the same rate: p99 ${fmt(bareSame.load.latencyMs.p99, 1)} ms)` : ''}`,
      yes(genOpen.load.latencyMs.p99 <= 25 && genOpen.load.rps >= 0.5 * bare && !genOpen.load.errors)]);
  }
  if (gen) {
    rows.push(['Enqueue throughput ≥ 50% of bare (closed loop, 64 connections)', `${fmt(gen.load.rps, 0)} req/s = ${pct(gen.load.rps / bare)}`, yes(gen.load.rps >= 0.5 * bare)]);
    rows.push(['Enqueue p99 ≤ 25 ms (closed loop, 64 connections: 64 ÷ throughput at best)', `${fmt(gen.load.latencyMs.p99, 1)} ms`, yes(gen.load.latencyMs.p99 <= 25)]);
  }
  if (cond) rows.push(['Status ≥ 70% of bare (If-None-Match, closed loop)', `${fmt(cond.load.rps, 0)} req/s = ${pct(cond.load.rps / bare)}`, yes(cond.load.rps >= 0.7 * bare)]);
  if (plain) rows.push(['Status ≥ 70% of bare (plain GET, closed loop)', `${fmt(plain.load.rps, 0)} req/s = ${pct(plain.load.rps / bare)}`, yes(plain.load.rps >= 0.7 * bare)]);
  if (condOpen) rows.push(['Status served at ≥ 70% of bare (If-None-Match, open loop)', served(condOpen), yes(condOpen.load.rps >= 0.7 * bare && !condOpen.load.errors)]);
  if (plainOpen) rows.push(['Status served at ≥ 70% of bare (plain GET, open loop)', served(plainOpen), yes(plainOpen.load.rps >= 0.7 * bare && !plainOpen.load.errors)]);
  if (rounds) {
    // The verdict to trust on a noisy machine: each ratio taken against its own round's bare run.
    const n = r.rounds.length;
    rows.push([`Enqueue throughput ≥ 50% of bare (median of ${n} alternating rounds)`, pct(rounds.generate), yes(rounds.generate >= 0.5)]);
    rows.push([`Status ≥ 70% of bare (If-None-Match, median of ${n} rounds)`, pct(rounds.statusInm), yes(rounds.statusInm >= 0.7)]);
    rows.push([`Status ≥ 70% of bare (plain GET, median of ${n} rounds)`, pct(rounds.statusPlain), yes(rounds.statusPlain >= 0.7)]);
  }
  if (r.render) {
    const peak = Math.max(r.render.peaks.serverPeakMb, r.render.peaks.serverHwmMb ?? 0);
    rows.push(['Server RSS ≤ 300 MB while rendering 1080p', `${fmt(peak, 0)} MB`, yes(peak <= 300)]);
  }
  out.push('The single-run rows compare against one pair of bare-route runs; where rounds ran, their medians are the steadier verdict.\n');
  out.push(markdownTable(['Target', 'Measured', 'Result'], rows));

  if (r.rounds.length) {
    out.push(`\n## Alternating rounds\n\nBare route, generate, status with If-None-Match and plain status, back to back, ` +
      `${Number(r.params.ROUND_MS) / 1000} s each, ${r.rounds.length} times; each ratio is against the bare-route run of its own round.\n`);
    out.push(markdownTable(['Round', 'Bare req/s', 'Bare by POST', 'Generate', 'Generate ÷ bare by POST', 'Status, If-None-Match', 'Status, plain GET', 'Errors', 'Non-304 in If-None-Match'],
      r.rounds.map((x, i): Cell[] => [i + 1, fmt(x.bare, 0), `${fmt(x.barePost, 0)} = ${pct(x.barePost / x.bare)}`,
        `${fmt(x.generate, 0)} = ${pct(x.generate / x.bare)}`, pct(x.generate / x.barePost),
        `${fmt(x.statusInm, 0)} = ${pct(x.statusInm / x.bare)}`, `${fmt(x.statusPlain, 0)} = ${pct(x.statusPlain / x.bare)}`,
        x.generateErrors + x.statusErrors, x.not304])));
    const m = rounds!;
    out.push(`\nMedians: generate ${pct(m.generate)} (target 50%: ${yes(m.generate >= 0.5)}), status with If-None-Match ${pct(m.statusInm)} ` +
      `(target 70%: ${yes(m.statusInm >= 0.7)}), plain status ${pct(m.statusPlain)} (${yes(m.statusPlain >= 0.7)}). Lowest round: generate ` +
      `${pct(m.lowestGenerate)}, status with If-None-Match ${pct(m.lowestStatusInm)}. The bare route by POST, median: ${pct(m.barePost)} of the GET.`);
  }

  if (r.sweeps.length) {
    const bareSweep = r.sweeps.find((x) => x.name === 'health');
    out.push(`\n## Latency-bounded throughput\n\nThe highest open-loop rate at which each route kept p99 ≤ ${r.sweeps[0]!.boundMs} ms ` +
      `(bisection, ${r.sweeps[0]!.probes.length} probes of ${Number(r.params.SWEEP_MS) / 1000} s each; a probe passes when it serves the rate offered ` +
      'with no errors and p99 within the bound).\n');
    out.push(markdownTable(['Route', 'Highest passing rate', '÷ bare closed-loop max', '÷ bare within the same bound', 'Probes (offered → p99 ms)'],
      r.sweeps.map((x): Cell[] => [x.name, `${fmt(x.rate, 0)} req/s`, pct(x.rate / bare),
        bareSweep && bareSweep.rate > 0 ? pct(x.rate / bareSweep.rate) : '–',
        x.probes.map((p) => `${p.rate} → ${fmt(p.p99, 1)}${p.ok ? '' : ' ✗'}`).join(', ')])));
  }

  if (r.render) {
    const k = r.render.peaks;
    out.push(`\n## Memory while rendering\n\nOne ${r.render.sceneCount}-scene ${r.render.resolution} video, local provider, QUEUE_CONCURRENCY=${r.render.concurrency}: ` +
      `${r.render.status} in ${fmt(r.render.wallMs / 1000, 1)} s; ${k.samples} samples every ${k.intervalMs} ms.\n`);
    out.push(markdownTable(['Process', 'MB'], [
      ['`next start` VmRSS, idle before the request', fmt(r.render.idleServerMb, 0)],
      ['`next start` VmRSS, peak sample', fmt(k.serverPeakMb, 0)],
      ['`next start` VmHWM (kernel high-water mark)', fmt(k.serverHwmMb, 0)],
      ['The server and any other non-ffmpeg process of its group, peak of the sum', fmt(k.nodePeakMb, 0)],
      [`ffmpeg/ffprobe children, peak of the sum (up to ${k.ffmpegMaxConcurrent} at once)`, fmt(k.ffmpegSumPeakMb, 0)],
      ['Largest single ffmpeg/ffprobe', fmt(k.ffmpegMaxPeakMb, 0)],
    ]));
    if (k.otherProcesses.length) out.push(`\nAlso seen in the server's process group: ${k.otherProcesses.join('; ')}.`);
  }
  out.push(`\nServer VmRSS during the HTTP phases: ${fmt(r.httpRss.idleMb, 0)} MB idle after seeding, peak sample ${fmt(r.httpRss.peakMb, 0)} MB, ` +
    `VmHWM ${fmt(r.httpRss.hwmMb, 0)} MB.`);

  const p = r.profile;
  if (p) {
    out.push('\n## Where the time goes (in-process, server stopped)\n');
    out.push(markdownTable(['Piece', 'Measured'], [
      ['`select 1` round trip, p50', `${fmt(p.selectOneRttMs.p50, 3)} ms`],
      ['Status: getVideoView, serial, p50 wall / CPU per call', `${fmt(p.status.viewMs.p50, 2)} ms / ${fmt(p.status.viewMs.cpuMs, 2)} ms`],
      ['Status: SQL round trips per request (sequential)', fmt(p.status.queriesPerCall, 1)],
      ['Status: SQL time per request', `${fmt(p.status.dbMsPerCall, 2)} ms`],
      ['Status: signed URLs per request, and their time summed', `${fmt(p.status.signsPerCall, 1)}, ${fmt(p.status.signMsPerCall, 2)} ms`],
      ['Status: getVideoView with URLs signed from the key alone (no metadata read), p50 wall / CPU', `${fmt(p.status.viewNoHeadMs.p50, 2)} ms / ${fmt(p.status.viewNoHeadMs.cpuMs, 2)} ms`],
      ['Status: JSON.stringify + SHA-1 ETag, p50', `${fmt(p.status.etagMs.p50, 3)} ms (body ${fmt(p.status.meanBodyBytes, 0)} bytes)`],
      ['Generate: createVideos, serial, p50 wall / CPU per call', `${fmt(p.generate.createVideoMs.p50, 2)} ms / ${fmt(p.generate.createVideoMs.cpuMs, 2)} ms`],
      ['Generate: SQL round trips per request (begin … commit, one connection)', fmt(p.generate.roundTripsPerCall, 1)],
      ['Generate: SQL time per request', `${fmt(p.generate.dbMsPerCall, 2)} ms`],
      ['Generate: JSON parse + zod validation + defaults', `${fmt(p.generate.validateUs, 1)} µs`],
      ['Owner cookie: HMAC-SHA256 verify (proxy.ts and withOwner each do one)', `${fmt(p.ownerCookieUs, 1)} µs`],
      ['loadConfig() from process.env (proxy.ts calls it per request)', `${fmt(p.loadConfigUs, 1)} µs`],
    ]));
    out.push('\nThe same lib functions under 64 concurrent callers, no Next.js and no HTTP:\n');
    const c = (name: string, x: (typeof p.status.concurrent)[number]): Cell[] =>
      [name, x.poolMax, x.callers, fmt(x.perSecond, 0), fmt(x.latencyMs.p50, 1), fmt(x.latencyMs.p99, 1)];
    out.push(markdownTable(['Function', 'Pool max', 'Callers', 'Calls/s', 'p50 ms', 'p99 ms'], [
      ...p.status.concurrent.map((x) => c('getVideoView + ETag', x)),
      ...p.generate.concurrent.map((x) => c('createVideos', x)),
    ]));
  }
  out.push(`\nTotal ${fmt(r.totalMs / 1000, 0)} s.`);
  return out.join('\n');
}
