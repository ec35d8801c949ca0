// Reads .vercel/output the way Vercel deploys it: each *.func folder is a function, some are symlinks
// to others (routes with the same config share one bundle), and .vc-config.json's filePathMap names
// the project files placed into the bundle at deploy time (bundle path -> path from the project root).
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export interface VcConfig {
  handler?: string;
  runtime?: string;
  maxDuration?: number;
  filePathMap?: Record<string, string>;
}

export interface BundleFile {
  /** Path inside the deployed bundle. */
  key: string;
  /** Where the file is on disk now (a symlink stays a symlink). */
  source: string;
  isSymlink: boolean;
  /** Size and mode of what the path resolves to; 0 for a link to a folder (its files are entries of their own). */
  size: number;
  mode: number;
  realPath: string;
}

export interface Bundle {
  /** The real .func folder, relative to functions/. */
  name: string;
  realDir: string;
  routes: string[];
  config: VcConfig;
  files: BundleFile[];
  /** Unzipped size: every distinct real file once. */
  bytes: number;
}

function routeOf(funcPath: string): string {
  const route = `/${funcPath.replace(/\.func$/, '')}`;
  return route === '/index' ? '/' : route;
}

/** RSC, segment and prerender variants of a route: aliases, not routes a person calls. */
export function isAlias(route: string): boolean {
  return /\.rsc$|\.segments\//.test(route);
}

async function findFuncs(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.name.endsWith('.func')) out.push(relPath);
    else if (entry.isDirectory()) out.push(...(await findFuncs(path.join(dir, entry.name), relPath)));
  }
  return out;
}

async function describe(key: string, source: string): Promise<BundleFile> {
  const link = await lstat(source);
  try {
    const target = await stat(source);
    return {
      key, source, isSymlink: link.isSymbolicLink(), mode: target.mode,
      size: target.isFile() ? target.size : 0,
      realPath: await realpath(source),
    };
  } catch {
    // A dangling link deploys as a link and weighs nothing.
    return { key, source, isSymlink: true, size: 0, mode: link.mode, realPath: source };
  }
}

async function ownFiles(dir: string, rel = ''): Promise<BundleFile[]> {
  const out: BundleFile[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await ownFiles(abs, relPath)));
    else if (relPath !== '.vc-config.json') out.push(await describe(relPath, abs));
  }
  return out;
}

export async function readBundles(root: string): Promise<Bundle[]> {
  const functionsDir = path.join(root, '.vercel', 'output', 'functions');
  const byConfig = new Map<string, Bundle>();
  for (const funcPath of (await findFuncs(functionsDir)).sort()) {
    const realDir = await realpath(path.join(functionsDir, funcPath));
    const raw = await readFile(path.join(realDir, '.vc-config.json'), 'utf8');
    // Functions resolving to one real folder share its config; separate folders with an identical
    // config (filePathMap included) are the same bundle deployed twice, so they are grouped too.
    const key = createHash('sha256').update(raw).digest('hex');
    let bundle = byConfig.get(key);
    if (!bundle) {
      const config = JSON.parse(raw) as VcConfig;
      const files = await ownFiles(realDir);
      for (const [to, from] of Object.entries(config.filePathMap ?? {})) files.push(await describe(to, path.resolve(root, from)));
      const seen = new Map<string, number>();
      for (const f of files) seen.set(f.realPath, f.size);
      const bytes = [...seen.values()].reduce((a, b) => a + b, 0);
      bundle = { name: path.relative(functionsDir, realDir).replace(/\.func$/, ''), realDir, routes: [], config, files, bytes };
      byConfig.set(key, bundle);
    }
    bundle.routes.push(routeOf(funcPath));
  }
  return [...byConfig.values()].sort((a, b) => b.bytes - a.bytes);
}

export function bundleFor(bundles: Bundle[], route: string): Bundle | undefined {
  return bundles.find((b) => b.routes.includes(route));
}

export interface Cron {
  path: string;
  schedule: string;
}

export async function readCrons(root: string): Promise<Cron[]> {
  const config = JSON.parse(await readFile(path.join(root, '.vercel', 'output', 'config.json'), 'utf8')) as { crons?: Cron[] };
  return config.crons ?? [];
}
