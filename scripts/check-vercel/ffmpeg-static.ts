// On Vercel, ffmpeg-static's install script downloads a ~77 MB ffmpeg into the package. Here that
// download cannot happen, so npm drops the optional package and a build would trace less than a
// deployment does. This lays the package down with a stand-in binary of realistic size for the build.
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { run } from './run';

export interface Simulation {
  /** What was added, for the report. */
  note: string;
  /** Removes exactly what was added; safe to call more than once. */
  undo(): Promise<void>;
}

async function lockedVersion(root: string): Promise<string> {
  const lock = JSON.parse(await readFile(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages?: Record<string, { version?: string }>;
  };
  const version = lock.packages?.['node_modules/ffmpeg-static']?.version;
  if (!version) throw new Error('package-lock.json has no node_modules/ffmpeg-static entry');
  return version;
}

export async function simulateFfmpegStatic(root: string, standIn: string): Promise<Simulation> {
  const pkgDir = path.join(root, 'node_modules', 'ffmpeg-static');
  const binary = path.join(pkgDir, 'ffmpeg');
  if (existsSync(binary)) return { note: 'ffmpeg-static already has its binary; nothing simulated', undo: async () => {} };
  if (!existsSync(standIn)) throw new Error(`no stand-in ffmpeg at ${standIn}`);

  let addedPackage = false;
  if (!existsSync(path.join(pkgDir, 'package.json'))) {
    const version = await lockedVersion(root);
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'cueframe-ffmpeg-static-'));
    try {
      // npm pack fetches the tarball through npm's own cache and registry settings, without running
      // the install script whose download is what fails here.
      const packed = await run('npm', ['pack', `ffmpeg-static@${version}`, '--pack-destination', tmp, '--silent'], { cwd: tmp });
      const tgz = packed.stdout.trim().split('\n').pop() ?? '';
      if (packed.code !== 0 || !tgz) throw new Error(`npm pack ffmpeg-static@${version} failed: ${packed.stderr.trim()}`);
      const untar = await run('tar', ['-xzf', path.join(tmp, tgz), '-C', tmp]);
      if (untar.code !== 0) throw new Error(`extracting ${tgz} failed: ${untar.stderr.trim()}`);
      await rename(path.join(tmp, 'package'), pkgDir);
      addedPackage = true;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  await copyFile(standIn, binary);

  let undone = false;
  return {
    note: `${addedPackage ? 'laid down node_modules/ffmpeg-static and ' : ''}put a stand-in at node_modules/ffmpeg-static/ffmpeg (copy of ${path.relative(root, standIn)})`,
    async undo() {
      if (undone) return;
      undone = true;
      await rm(addedPackage ? pkgDir : binary, { recursive: true, force: true });
    },
  };
}
