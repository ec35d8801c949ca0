// "The built worker runs alone": a bundle copied into an empty folder exactly as Vercel deploys it,
// served by a child process that sees nothing of the project or of this machine's ffmpeg.
import { spawn } from 'node:child_process';
import { constants, createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readlink, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle } from './bundles';

/** Copies the .func folder's files and every filePathMap entry to its key path, links kept as links.
 * Returns problems that would make the copy differ from the bundle's intent. */
export async function copyBundle(bundle: Bundle, dest: string): Promise<string[]> {
  const problems: string[] = [];
  for (const f of bundle.files) {
    const to = path.join(dest, f.key);
    await mkdir(path.dirname(to), { recursive: true });
    if (f.isSymlink) {
      const target = await readlink(f.source);
      if (path.isAbsolute(target)) problems.push(`${bundle.name}: ${f.key} links to the absolute path ${target}, which a deployment does not have`);
      await symlink(target, to);
    } else {
      // copyFile keeps the mode, so binaries stay executable; a clone is free where the filesystem allows it.
      await copyFile(f.source, to, constants.COPYFILE_FICLONE);
    }
  }
  return problems;
}

/** A PATH with no ffmpeg or ffprobe on it: the system's own directories when they have neither,
 * otherwise a folder holding only a link to node. */
export async function cleanPath(scratch: string): Promise<string> {
  const system = ['/usr/bin', '/bin'];
  const hasMedia = system.some((d) => existsSync(path.join(d, 'ffmpeg')) || existsSync(path.join(d, 'ffprobe')));
  if (!hasMedia) return system.join(path.delimiter);
  const dir = path.join(scratch, 'bin');
  await mkdir(dir, { recursive: true });
  await symlink(process.execPath, path.join(dir, 'node'));
  return dir;
}

export interface IsolatedServer {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

const SERVE_SCRIPT = fileURLToPath(new URL('./serve-bundle.ts', import.meta.url));
const READY = /^serve-bundle listening on (\d+)$/m;

/** Serves bundleDir in a child whose environment is exactly `env`; stdout and stderr go to logFile. */
export async function serveBundle(bundleDir: string, handler: string, env: NodeJS.ProcessEnv, logFile: string): Promise<IsolatedServer> {
  // The helper sits beside the bundle, not inside it, and is .mts so Node strips its types as ESM
  // without reading any package.json from the project.
  const script = path.join(path.dirname(bundleDir), 'serve-bundle.mts');
  await copyFile(SERVE_SCRIPT, script);
  const child = spawn(process.execPath, [script, bundleDir, handler], { cwd: bundleDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once('close', () => log.end(resolve)));

  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${bundleDir} did not start listening within 60 s (log: ${logFile})`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString();
      const m = READY.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server for ${bundleDir} exited with ${code} before listening (log: ${logFile})`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    logFile,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
