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

/** The .func folder's own files (links kept as links), without the config that is not deployed. */
async function ownFiles(dir: string): Promise<BundleFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const keys = entries.filter((e) => !e.isDirectory()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  return Promise.all(keys.filter((k) => k !== '.vc-config.json').map((k) => describe(k, path.join(dir, k))));
}

export async function readBundles(root: string): Promise<Bundle[]> {
  const functionsDir = path.join(root, '.vercel', 'output', 'functions');
  const byConfig = new Map<string, Bundle>();
  // Recursive listing does not follow links, so linked .func folders appear once, as links.
  const funcPaths = (await readdir(functionsDir, { recursive: true })).filter((p) => p.endsWith('.func') && !p.includes('.func/'));
  for (const funcPath of funcPaths.sort()) {
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
      bundle = { name: path.relative(functionsDir, realDir).replace(/\.func$/, ''), routes: [], config, files, bytes };
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

/** @vercel/next adds instrumentation.ts's trace to every function, and Next's outputFileTracingExcludes
 * never applies to it, so whatever it pulls in shows up in every bundle. Returns those files (project-relative). */
export async function instrumentationTrace(root: string): Promise<string[]> {
  const dir = path.join(root, '.next', 'server');
  try {
    const nft = JSON.parse(await readFile(path.join(dir, 'instrumentation.js.nft.json'), 'utf8')) as { files?: string[] };
    return (nft.files ?? []).map((f) => path.relative(root, path.resolve(dir, f)));
  } catch {
    return [];
  }
}
