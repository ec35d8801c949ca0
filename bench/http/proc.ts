// Linux /proc readers for bench:http: resident memory and CPU time of a server's process group, split
// into the Node process(es) and their ffmpeg/ffprobe children, and of the PostgreSQL server processes.
import fs from 'node:fs';
import os from 'node:os';

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 on every mainstream Linux build). */
const CLK_TCK = 100;

export interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  comm: string;
  cmd: string;
  /** utime + stime, milliseconds. */
  cpuMs: number;
}

function readProc(pid: number): Proc | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    // Fields after "(comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    const f = stat.slice(close + 2).split(' ');
    if (f[0] === 'Z' || f[0] === 'X') return null;
    let cmd = '';
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      /* not ours to read */
    }
    return { pid, ppid: Number(f[1]), pgid: Number(f[2]), comm, cmd, cpuMs: ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK };
  } catch {
    return null; // ended while we looked
  }
}

export function allProcs(): Proc[] {
  const out: Proc[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const p = readProc(Number(e));
    if (p) out.push(p);
  }
  return out;
}

/** A field of /proc/<pid>/status in kB (VmRSS, VmHWM), or null if the process is gone. */
export function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export const isFfmpeg = (p: Proc) => /ff(mpeg|probe)/.test(p.comm) || /ff(mpeg|probe)/.test(p.cmd.split(' ')[0] ?? '');

/** Every process in the server's group (spawned detached, so ffmpeg children share the group). */
export function groupProcs(pgid: number): Proc[] {
  return allProcs().filter((p) => p.pgid === pgid);
}

export interface RssSample {
  t: number;
  /** VmRSS of the `next start` process itself, MB. */
  serverMb: number;
  /** VmRSS summed over the group's processes other than ffmpeg/ffprobe (the server and any helper it spawns). */
  nodeMb: number;
  /** VmRSS summed over ffmpeg/ffprobe processes of the group, MB, and the largest one. */
  ffmpegSumMb: number;
  ffmpegMaxMb: number;
  ffmpegCount: number;
}

const mb = (kb: number | null) => (kb ?? 0) / 1024;

export function sampleRss(serverPid: number, t0: number, seen?: Set<string>): RssSample {
  let nodeKb = 0;
  let ffSum = 0;
  let ffMax = 0;
  let ffCount = 0;
  const group = groupProcs(serverPid);
  const serverComm = group.find((p) => p.pid === serverPid)?.comm;
  for (const p of group) {
    // A child that still carries the server's name is a fork caught before it exec'd ffmpeg: its
    // resident pages are the server's, shared copy-on-write, so counting them would count the server twice.
    if (p.pid !== serverPid && p.comm === serverComm) {
      seen?.add('a fork before exec (not counted)');
      continue;
    }
    const kb = statusKb(p.pid, 'VmRSS') ?? 0;
    if (isFfmpeg(p)) {
      ffSum += kb;
      ffMax = Math.max(ffMax, kb);
      ffCount++;
    } else {
      nodeKb += kb;
      if (p.pid !== serverPid) seen?.add(p.comm);
    }
  }
  return { t: Date.now() - t0, serverMb: mb(statusKb(serverPid, 'VmRSS')), nodeMb: mb(nodeKb), ffmpegSumMb: mb(ffSum), ffmpegMaxMb: mb(ffMax), ffmpegCount: ffCount };
}

export interface RssPeaks {
  samples: number;
  intervalMs: number;
  serverPeakMb: number;
  nodePeakMb: number;
  ffmpegSumPeakMb: number;
  ffmpegMaxPeakMb: number;
  ffmpegMaxConcurrent: number;
  /** Kernel high-water mark (VmHWM) of the server process when sampling stopped: catches peaks between samples. */
  serverHwmMb: number | null;
  /** Names of the other non-ffmpeg processes seen in the server's group (counted in nodePeakMb). */
  otherProcesses: string[];
}

/** Samples every `intervalMs` until stop() is called; stop() returns the peaks and the raw series. */
export function startRssSampler(serverPid: number, intervalMs = 100): { stop(): { peaks: RssPeaks; series: RssSample[] } } {
  const t0 = Date.now();
  const seen = new Set<string>();
  const series: RssSample[] = [sampleRss(serverPid, t0, seen)];
  const timer = setInterval(() => series.push(sampleRss(serverPid, t0, seen)), intervalMs);
  return {
    stop() {
      clearInterval(timer);
      series.push(sampleRss(serverPid, t0, seen));
      const hwm = statusKb(serverPid, 'VmHWM');
      const max = (f: (s: RssSample) => number) => series.reduce((m, s) => Math.max(m, f(s)), 0);
      return {
        series,
        peaks: {
          samples: series.length,
          intervalMs,
          serverPeakMb: max((s) => s.serverMb),
          nodePeakMb: max((s) => s.nodeMb),
          ffmpegSumPeakMb: max((s) => s.ffmpegSumMb),
          ffmpegMaxPeakMb: max((s) => s.ffmpegMaxMb),
          ffmpegMaxConcurrent: max((s) => s.ffmpegCount),
          serverHwmMb: hwm === null ? null : hwm / 1024,
          otherProcesses: [...seen],
        },
      };
    },
  };
}

export interface CpuSnapshot {
  /** CPU ms per pid: the server's Node process(es). */
  server: Map<number, number>;
  /** CPU ms per pid: the PostgreSQL backends connected to the bench database (named in their process title). */
  postgres: Map<number, number>;
  /** CPU ms of this bench process (the load generator). */
  client: number;
  /** CPU ms all CPUs of the machine spent busy (user, nice, system, irq). */
  machine: number;
  at: number;
}

function machineBusyMs(): number {
  let busy = 0;
  for (const c of os.cpus()) busy += c.times.user + c.times.nice + c.times.sys + c.times.irq;
  return busy;
}

export function cpuSnapshot(serverPid: number, database: string): CpuSnapshot {
  const server = new Map<number, number>();
  const postgres = new Map<number, number>();
  for (const p of allProcs()) {
    if (p.pgid === serverPid && !isFfmpeg(p)) server.set(p.pid, p.cpuMs);
    else if (p.cmd.startsWith('postgres:') && p.cmd.includes(` ${database} `)) postgres.set(p.pid, p.cpuMs);
  }
  const u = process.cpuUsage();
  return { server, postgres, client: (u.user + u.system) / 1000, machine: machineBusyMs(), at: performance.now() };
}

export interface CpuShare {
  wallMs: number;
  /** CPU time per wall time: 1.0 = one core busy. */
  serverCores: number;
  postgresCores: number;
  clientCores: number;
  /** Everything else the machine did meanwhile (other work on a shared machine, PostgreSQL's background processes). */
  otherCores: number;
}

/** A process that appeared during the window counts from zero; one that ended is left out. */
function delta(a: Map<number, number>, b: Map<number, number>): number {
  let d = 0;
  for (const [pid, ms] of b) d += ms - (a.get(pid) ?? 0);
  return d;
}

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuShare {
  const wall = b.at - a.at;
  const server = delta(a.server, b.server);
  const postgres = delta(a.postgres, b.postgres);
  const client = b.client - a.client;
  const machine = b.machine - a.machine;
  return {
    wallMs: wall,
    serverCores: server / wall,
    postgresCores: postgres / wall,
    clientCores: client / wall,
    otherCores: Math.max(0, machine - server - postgres - client) / wall,
  };
}
