// Local store only: leftovers of interrupted writes that list() never shows, so the units never see
// them. put() writes `<name>.~<uuid>.tmp` beside its target and renames it into place (atomic.ts),
// and an object is two files (bytes, sidecar) landed one after the other (local-write.ts): a process
// killed in between leaves a temp file or half an object behind. After an hour they are no live write.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '@/lib/db/types';
import { isNotFound } from '@/lib/storage/atomic';
import { META_SUFFIX } from '@/lib/storage/keys';
import { classifyKey } from './layout';
import { tryLockUnit } from './queries';
import { messageOf, type ReportBuilder } from './report';

const TEMP = /\.~[0-9a-f-]{36}\.tmp$/;

export interface StoreSweep {
  db: Db;
  root: string;
  olderThan: Date;
  /** videos/<id>/ prefixes of in-flight videos: never entered. */
  skip: Set<string>;
  report: ReportBuilder;
}

interface Found {
  rel: string;
  full: string;
}

export async function sweepLocalStore(opts: StoreSweep): Promise<void> {
  const byUnit = new Map<string, Found[]>();
  const dirs: { full: string; mtimeMs: number }[] = [];
  await walk(opts, '', byUnit, dirs);
  // The same lock as the units (units.ts): never sweep half an object another run is deleting. A body
  // run again after a deadlock (lib/db/retry.ts) re-checks each file, so it counts none twice.
  for (const [unit, found] of byUnit) {
    await opts.db.transaction(async (tx) => {
      if (!(await tryLockUnit(tx, unit))) return;
      for (const f of found) await removeIfStale(opts, f);
    });
  }
  // Deepest first, and only dirs already idle before this sweep; rmdir refuses a non-empty dir.
  for (const d of dirs.reverse()) {
    if (d.mtimeMs < opts.olderThan.getTime()) await fs.rmdir(d.full).catch(() => undefined);
  }
}

async function walk(opts: StoreSweep, rel: string, byUnit: Map<string, Found[]>, dirs: { full: string; mtimeMs: number }[]): Promise<void> {
  const full = rel === '' ? opts.root : path.join(opts.root, rel);
  const entries = await fs.readdir(full, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const childRel = rel + e.name;
    if (e.isDirectory()) {
      if (opts.skip.has(`${childRel}/`)) continue;
      const stat = await fs.lstat(path.join(full, e.name)).catch(() => null);
      if (stat) dirs.push({ full: path.join(full, e.name), mtimeMs: stat.mtimeMs });
      await walk(opts, `${childRel}/`, byUnit, dirs);
    } else if (e.isFile() && (await staleSize(opts, path.join(full, e.name))) !== null) {
      const c = classifyKey(childRel);
      const unit = c.kind === 'video' ? c.videoId : 'loose';
      byUnit.set(unit, [...(byUnit.get(unit) ?? []), { rel: childRel, full: path.join(full, e.name) }]);
    }
  }
}

/** Checked again under the lock; counted only if this unlink is the one that removed it. */
async function removeIfStale(opts: StoreSweep, f: Found): Promise<void> {
  try {
    const size = await staleSize(opts, f.full);
    if (size === null) return;
    await fs.unlink(f.full);
    opts.report.add('staleUploads', size);
  } catch (err) {
    if (!isNotFound(err)) opts.report.warn(`could not remove stale upload ${f.rel}: ${messageOf(err)}`);
  }
}

/** The file's size if it is a leftover: a put() temp file, or half an object, idle since olderThan. */
async function staleSize(opts: StoreSweep, full: string): Promise<number | null> {
  const stat = await fs.lstat(full).catch(() => null);
  if (!stat?.isFile() || stat.mtimeMs >= opts.olderThan.getTime()) return null;
  if (TEMP.test(full)) return stat.size;
  const other = full.toLowerCase().endsWith(META_SUFFIX) ? full.slice(0, -META_SUFFIX.length) : full + META_SUFFIX;
  return (await exists(other)) ? null : stat.size;
}

async function exists(full: string): Promise<boolean> {
  try {
    await fs.lstat(full);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
