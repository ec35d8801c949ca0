// Work dirs that killed invocations left in the temp dir. Every step works in a mkdtemp() dir named
// cueframe-<what>-XXXXXX (lib/queue/worker.ts, lib/media, lib/providers) and removes it when it ends;
// a process killed mid-step (a timeout, a crash) cannot. Only that mkdtemp shape is touched, never
// anything else named cueframe-* (bench results, fixtures), and never a dir holding the live store.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isNotFound } from '@/lib/storage/atomic';
import { messageOf, type ReportBuilder } from './report';

const WORK_DIR = /^cueframe-[a-z0-9]+(?:-[a-z0-9]+)*-[A-Za-z0-9]{6}$/;
/** A removal claimed by renaming: rename succeeds for one caller only, so two runs never both count it. */
const TRASH_PREFIX = '.cueframe-trash-';
const TRASH = /^\.cueframe-trash-[0-9a-f-]{36}$/;
const TRASH_STALE_MS = 60 * 60 * 1000;

export interface TempSweep {
  root: string;
  now: Date;
  olderThanHours: number;
  /** Never removed, nor any dir that contains them (the local store and data dir, the working dir). */
  protect: string[];
  report: ReportBuilder;
}

export async function sweepTempDirs(opts: TempSweep): Promise<void> {
  const workCutoff = opts.now.getTime() - opts.olderThanHours * 3600_000;
  // ctime cannot be set by anyone (tests included), so it is compared with the clock that stamped it.
  const trashCutoff = Date.now() - TRASH_STALE_MS;
  for (const name of await fs.readdir(opts.root).catch(() => [] as string[])) {
    const full = path.join(opts.root, name);
    if (opts.protect.some((p) => isSameOrInside(p, full))) continue;
    try {
      if (WORK_DIR.test(name)) {
        const tree = await statTree(full);
        if (tree && tree.newestMs < workCutoff) await claimAndRemove(opts, full, tree.bytes);
      } else if (TRASH.test(name)) {
        // A claimed dir whose run died mid-removal; rename updates ctime, so a live claim looks fresh.
        const stat = await fs.lstat(full);
        if (stat.ctimeMs < trashCutoff) await claimAndRemove(opts, full, (await statTree(full))?.bytes ?? 0);
      }
    } catch (err) {
      if (!isNotFound(err)) opts.report.warn(`could not remove temp entry ${name}: ${messageOf(err)}`);
    }
  }
}

async function claimAndRemove(opts: TempSweep, full: string, bytes: number): Promise<void> {
  const claimed = path.join(opts.root, `${TRASH_PREFIX}${randomUUID()}`);
  try {
    await fs.rename(full, claimed);
  } catch (err) {
    if (isNotFound(err)) return; // another run claimed it first
    throw err;
  }
  await fs.rm(claimed, { recursive: true, force: true });
  opts.report.add('tempFiles', bytes);
}

/** The newest mtime anywhere in the tree (writing a file inside does not touch its dir's mtime). */
async function statTree(full: string): Promise<{ newestMs: number; bytes: number } | null> {
  let stat;
  try {
    stat = await fs.lstat(full);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  const acc = { newestMs: stat.mtimeMs, bytes: stat.isFile() ? stat.size : 0 };
  if (!stat.isDirectory()) return acc;
  for (const name of await fs.readdir(full).catch(() => [] as string[])) {
    const child = await statTree(path.join(full, name));
    if (!child) continue;
    acc.newestMs = Math.max(acc.newestMs, child.newestMs);
    acc.bytes += child.bytes;
  }
  return acc;
}

function isSameOrInside(target: string, dir: string): boolean {
  const rel = path.relative(dir, path.resolve(target));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
