import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadConfig, type Config } from '@/lib/config';

// Everything that touches the outside world is injectable so each branch is testable without module mocks.
export interface ResolveDeps {
  /** FFMPEG_PATH from config: trusted as is. */
  ffmpegPath?: string;
  tryRequire?: (id: string) => unknown;
  exists?: (p: string) => boolean;
  pathDirs?: string[];
}

// Anchored on the project root rather than import.meta.url, which points into .next/ inside server bundles.
function projectRequire(): NodeJS.Require {
  return createRequire(path.join(process.cwd(), 'package.json'));
}

function defaultTryRequire(id: string): unknown {
  try {
    return projectRequire()(id);
  } catch {
    // @ffmpeg-installer throws a bare string when its platform package is missing, so catch everything.
    return undefined;
  }
}

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// createApp hands over its config's binary settings. Code that runs ffmpeg without an app (the media
// tests, a script) reads them from the environment through config, once, the first time it is needed.
let configured: Config['binaries'] | undefined;
let ffmpegCache: string | undefined;

/** Sets where ffmpeg is looked for (config.binaries) and forgets any path found before. */
export function configureBinaries(binaries: Config['binaries']): void {
  configured = binaries;
  ffmpegCache = undefined;
}

function resolved(deps: ResolveDeps) {
  return {
    ffmpegPath: deps.ffmpegPath,
    tryRequire: deps.tryRequire ?? defaultTryRequire,
    exists: deps.exists ?? isExecutableFile,
    pathDirs: deps.pathDirs ?? [],
  };
}

// ffmpeg-static exports the path itself (or null on unsupported platforms); the installers export { path }.
function pathFromModule(mod: unknown): string | undefined {
  if (typeof mod === 'string') return mod;
  if (mod && typeof mod === 'object') {
    const rec = mod as { path?: unknown; default?: unknown };
    if (typeof rec.path === 'string') return rec.path;
    if (rec.default !== undefined && rec.default !== mod) return pathFromModule(rec.default);
  }
  return undefined;
}

function findBinary(tool: 'ffmpeg', envVar: string, packages: string[], deps: ResolveDeps): string {
  const d = resolved(deps);
  const fromEnv = d.ffmpegPath;
  // An explicit override is trusted as-is so operators can point at wrappers or unusual locations.
  if (fromEnv) return fromEnv;
  for (const id of packages) {
    const p = pathFromModule(d.tryRequire(id));
    if (p && d.exists(p)) return p;
  }
  const exe = process.platform === 'win32' ? `${tool}.exe` : tool;
  for (const dir of d.pathDirs) {
    const candidate = path.join(dir, exe);
    if (d.exists(candidate)) return candidate;
  }
  const places = [`the ${envVar} environment variable`, ...packages.map((p) => `the ${p} package`), 'PATH'];
  throw new Error(`Could not find ${tool}: checked ${places.join(', ')}. Install one of them or set ${envVar}.`);
}

const fontCache = new Map<boolean, string>();

// Production and the tests run the same binary: @ffmpeg-installer's ffmpeg 4.1, which ships inside its npm
// package, so every install has it (ffmpeg-static downloads its binary at install time). ffmpeg-static stays as
// the fallback for platforms the installer has no package for. Both are required by a variable name, which the
// bundle tracer cannot follow, so neither package decides what ships: next.config.ts puts exactly the
// installer's files into the bundles that run pipeline steps, and nothing else.
const FFMPEG_PACKAGES = ['@ffmpeg-installer/ffmpeg', 'ffmpeg-static'];

export function resolveFfmpegPath(deps?: ResolveDeps): string {
  if (deps) return findBinary('ffmpeg', 'FFMPEG_PATH', FFMPEG_PACKAGES, deps);
  if (ffmpegCache) return ffmpegCache;
  const binaries = configured ?? loadConfig().binaries;
  ffmpegCache = findBinary('ffmpeg', 'FFMPEG_PATH', FFMPEG_PACKAGES, { ffmpegPath: binaries.ffmpegPath, pathDirs: binaries.pathDirs });
  return ffmpegCache;
}

// Resolved through the module loader, which the bundle tracer does not follow, so the font package is not
// traced into every function: next.config.ts ships exactly these two files, and only to the worker.
export function fontPath(bold = false): string {
  const cached = fontCache.get(bold);
  if (cached) return cached;
  const file = bold ? 'DejaVuSans-Bold.ttf' : 'DejaVuSans.ttf';
  let found: string;
  try {
    found = projectRequire().resolve(`dejavu-fonts-ttf/ttf/${file}`);
    if (!statSync(found).isFile()) throw new Error('not a file');
  } catch (err) {
    throw new Error(`Could not find font ${file} in the dejavu-fonts-ttf package: ${(err as Error).message}`);
  }
  fontCache.set(bold, found);
  return found;
}
