// Vercel's own CLI, kept out of the project's dependencies, and an offline `vercel build` with it.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { run, runLogged } from './run';

/** What a local build needs from a linked project: ids that are never sent anywhere, and the settings
 * `vercel pull` would otherwise fetch. An empty installCommand makes the builder skip `npm install`:
 * node_modules is already what `npm ci` laid down (plus the simulated ffmpeg-static, which an install
 * would remove again), and an install here would rewrite the shared node_modules under other work. */
const LOCAL_PROJECT = {
  projectId: 'prj_local',
  orgId: 'team_local',
  settings: { framework: 'nextjs', installCommand: '' },
};

/** The builder's fallback when Next's own traces are missing: it then traces Next itself and bundles
 * far more than `next build` decided. */
export const TRACE_FALLBACK = 'Tracing initial Next.js server files due to missing build trace';

export function cliCacheDir(version: string): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'cueframe', `vercel-${version}`);
}

async function installedVersion(dir: string): Promise<string | undefined> {
  try {
    const pkg = JSON.parse(await readFile(path.join(dir, 'node_modules', 'vercel', 'package.json'), 'utf8')) as { version?: string };
    return existsSync(path.join(dir, 'node_modules', '.bin', 'vercel')) ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

/** Installs vercel@version into the user cache once; returns the path of its `vercel` binary. */
export async function ensureCli(version: string, log: (line: string) => void): Promise<string> {
  const dir = cliCacheDir(version);
  const bin = path.join(dir, 'node_modules', '.bin', 'vercel');
  if ((await installedVersion(dir)) === version) {
    log(`Vercel CLI ${version} already in ${dir}`);
    return bin;
  }
  // Installed beside the final folder and renamed into place, so an interrupted install never
  // looks complete to the next run. The .bin links are relative, so the rename keeps them valid.
  const staging = `${dir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  log(`Installing vercel@${version} into ${dir} (about 20 s)…`);
  const res = await run('npm', ['install', '--prefix', staging, `vercel@${version}`, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: staging,
  });
  if (res.code !== 0) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(`npm install vercel@${version} failed (exit ${res.code}):\n${res.stderr.trim() || res.stdout.trim()}`);
  }
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  return bin;
}

/** Writes the local project link for the build and returns a function that puts back what was there,
 * so a developer's real `vercel link` survives the check. */
export async function linkLocalProject(root: string): Promise<() => Promise<void>> {
  const file = path.join(root, '.vercel', 'project.json');
  const previous = existsSync(file) ? await readFile(file, 'utf8') : undefined;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(LOCAL_PROJECT, null, 2)}\n`);
  return async () => {
    if (previous === undefined) await rm(file, { force: true });
    else await writeFile(file, previous);
  };
}

/** The environment for `vercel build`: no telemetry, no update check, and no variables that would
 * make the CLI talk to the API or pick another project than the local link. */
export function buildEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VERCEL_TELEMETRY_DISABLED: '1',
    NEXT_TELEMETRY_DISABLED: '1',
    NO_UPDATE_NOTIFIER: '1',
    DO_NOT_TRACK: '1',
  };
  for (const key of ['VERCEL_TOKEN', 'VERCEL_ORG_ID', 'VERCEL_PROJECT_ID', 'VERCEL', 'VERCEL_ENV', 'VERCEL_URL']) delete env[key];
  return env;
}

export interface BuildOutcome {
  ok: boolean;
  problems: string[];
  seconds: number;
}

export async function vercelBuild(bin: string, root: string, logFile: string): Promise<BuildOutcome> {
  const started = Date.now();
  const code = await runLogged(bin, ['build', '--yes'], logFile, { cwd: root, env: buildEnv() });
  const text = await readFile(logFile, 'utf8');
  const problems: string[] = [];
  if (code !== 0) problems.push(`vercel build exited with ${code} (log: ${logFile})`);
  if (text.includes(TRACE_FALLBACK)) problems.push(`the build log says "${TRACE_FALLBACK}": the builder traced Next.js itself`);
  return { ok: problems.length === 0, problems, seconds: Math.round((Date.now() - started) / 1000) };
}
