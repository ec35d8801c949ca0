import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// Everything that touches the outside world is injectable so each branch is testable without module mocks.
export interface ResolveDeps {
  env?: Record<string, string | undefined>;
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

function resolved(deps: ResolveDeps) {
  return {
    env: deps.env ?? process.env,
    tryRequire: deps.tryRequire ?? defaultTryRequire,
    exists: deps.exists ?? isExecutableFile,
    pathDirs: deps.pathDirs ?? (process.env.PATH ?? '').split(path.delimiter).filter(Boolean),
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

function findBinary(tool: 'ffmpeg' | 'ffprobe', envVar: string, packages: string[], deps: ResolveDeps): string {
  const d = resolved(deps);
  const fromEnv = d.env[envVar];
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

let ffmpegCache: string | undefined;
let ffprobeCache: string | undefined;
const fontCache = new Map<boolean, string>();

export function resolveFfmpegPath(deps?: ResolveDeps): string {
  if (deps) return findBinary('ffmpeg', 'FFMPEG_PATH', ['ffmpeg-static', '@ffmpeg-installer/ffmpeg'], deps);
  ffmpegCache ??= findBinary('ffmpeg', 'FFMPEG_PATH', ['ffmpeg-static', '@ffmpeg-installer/ffmpeg'], {});
  return ffmpegCache;
}

export function resolveFfprobePath(deps?: ResolveDeps): string {
  if (deps) return findBinary('ffprobe', 'FFPROBE_PATH', ['@ffprobe-installer/ffprobe'], deps);
  ffprobeCache ??= findBinary('ffprobe', 'FFPROBE_PATH', ['@ffprobe-installer/ffprobe'], {});
  return ffprobeCache;
}

// dejavu-fonts-ttf has no "exports" field, so its package.json is resolvable; the cwd fallback covers bundlers
// that rewrite require.resolve.
export function fontPath(bold = false): string {
  const cached = fontCache.get(bold);
  if (cached) return cached;
  const file = bold ? 'DejaVuSans-Bold.ttf' : 'DejaVuSans.ttf';
  const dirs: string[] = [];
  try {
    dirs.push(path.join(path.dirname(projectRequire().resolve('dejavu-fonts-ttf/package.json')), 'ttf'));
  } catch {
    // fall through to the conventional location
  }
  dirs.push(path.join(process.cwd(), 'node_modules', 'dejavu-fonts-ttf', 'ttf'));
  for (const dir of dirs) {
    const candidate = path.join(dir, file);
    try {
      if (statSync(candidate).isFile()) {
        fontCache.set(bold, candidate);
        return candidate;
      }
    } catch {
      // try the next directory
    }
  }
  throw new Error(`Could not find font ${file} in the dejavu-fonts-ttf package (looked in ${dirs.join(', ')}).`);
}
