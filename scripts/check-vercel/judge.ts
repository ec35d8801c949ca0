// What a deployable bundle may and may not carry. Every broken rule becomes one line of the report.
import path from 'node:path';
import { bundleFor, isAlias, type Bundle, type BundleFile, type Cron } from './bundles';
import { mb, MiB } from './run';

export interface Budgets {
  workerMaxMiB: number;
  otherMaxMiB: number;
  /** Routes that run pipeline steps, so they need ffmpeg and fonts. */
  workerRoutes: string[];
  /** The route Vercel Cron must call. */
  cronRoute: string;
}

// engines.node is 24.x, so every Node function must say so: production runs the Node the tests ran on.
const NODE_RUNTIME = 'nodejs24.x';
// The offline speech engine (eSpeak NG as WebAssembly, its voices inside the .wasm): the local provider's
// narration loads these two files, so the worker needs both and nothing else should carry any of it.
const SPEECH_ENGINE = 'node_modules/espeak-ng/';
const SPEECH_FILES = ['node_modules/espeak-ng/dist/espeak-ng.js', 'node_modules/espeak-ng/dist/espeak-ng.wasm'];

const isTest = (k: string) => /^tests\//.test(k) || /\.test\.tsx?$|\.e2e\.ts$/.test(k);
const isTs = (k: string) => /\.tsx?$/.test(k) && !k.endsWith('.d.ts');
const isExecutable = (f: BundleFile) => (f.mode & 0o111) !== 0;
const isFfmpeg = (f: BundleFile) => path.basename(f.key) === 'ffmpeg' && f.size > MiB && isExecutable(f);
const isFfprobe = (f: BundleFile) => /^ffprobe(\.exe)?$/.test(path.basename(f.key));

function sample(keys: string[], n = 5): string {
  return keys.length <= n ? keys.join(', ') : `${keys.slice(0, n).join(', ')} … (+${keys.length - n} more)`;
}

export function workerBundles(bundles: Bundle[], budgets: Budgets): Set<Bundle> {
  return new Set(budgets.workerRoutes.map((r) => bundleFor(bundles, r)).filter((b): b is Bundle => Boolean(b)));
}

export function judgeBundles(bundles: Bundle[], crons: Cron[], budgets: Budgets): { failures: string[]; notes: string[] } {
  // The same finding in several bundles (they trace the same modules) is one line naming them all.
  const found = new Map<string, string[]>();
  const noted = new Map<string, string[]>();
  const add = (to: Map<string, string[]>, what: string, b: Bundle) => to.set(what, [...(to.get(what) ?? []), b.name]);
  const workers = workerBundles(bundles, budgets);

  for (const b of bundles) {
    const worker = workers.has(b);
    const limit = (worker ? budgets.workerMaxMiB : budgets.otherMaxMiB) * MiB;
    if (b.bytes > limit) found.set(`bundle ${b.name} is ${mb(b.bytes)} MB, over the ${worker ? 'worker' : 'non-worker'} budget of ${limit / MiB} MB`, []);
    const keys = b.files.map((f) => f.key);
    const tests = keys.filter(isTest);
    if (tests.length) add(found, `${tests.length} test files (${sample(tests)})`, b);
    const ts = keys.filter((k) => isTs(k) && !isTest(k));
    if (ts.length) add(found, `${ts.length} TypeScript sources (${sample(ts)})`, b);
    const dts = keys.filter((k) => k.endsWith('.d.ts'));
    if (dts.length) add(noted, `${dts.length} .d.ts files, allowed (${sample(dts, 3)})`, b);
    const pglite = keys.filter((k) => k.includes('node_modules/@electric-sql/pglite/'));
    if (pglite.length) add(found, `@electric-sql/pglite (${pglite.length} files)`, b);
    const probes = b.files.filter(isFfprobe).map((f) => f.key);
    if (probes.length) add(found, `ffprobe (${sample(probes)})`, b);
    const ffmpegs = b.files.filter(isFfmpeg).map((f) => `${f.key} ${mb(f.size)} MB`);
    if (worker && ffmpegs.length > 1) add(found, `${ffmpegs.length} ffmpeg binaries (${ffmpegs.join(', ')})`, b);
    if (worker && ffmpegs.length === 0) add(noted, 'no ffmpeg binary', b);
    const fonts = keys.filter((k) => k.endsWith('.ttf'));
    if (!worker && fonts.length) add(found, `${fonts.length} fonts though it runs no pipeline step (${sample(fonts, 2)})`, b);
    if (worker && fonts.length) add(noted, `${fonts.length} fonts (${sample(fonts, 3)})`, b);
    const runtime = b.config.runtime;
    if (typeof runtime === 'string' && runtime.startsWith('nodejs') && runtime !== NODE_RUNTIME) add(found, `runtime ${runtime}, not ${NODE_RUNTIME}`, b);
    const speech = b.files.filter((f) => f.key.includes(SPEECH_ENGINE));
    if (!worker && speech.length) add(found, `the speech engine though it narrates nothing (${sample(speech.map((f) => f.key), 3)})`, b);
    if (worker) {
      const missing = SPEECH_FILES.filter((want) => !keys.some((k) => k.endsWith(want)));
      if (missing.length) add(found, `no speech engine (missing ${missing.join(', ')}), so local narration cannot run`, b);
      else add(noted, `the speech engine, ${mb(speech.reduce((n, f) => n + f.size, 0))} MB (${mb(limit - b.bytes)} MB left under its budget)`, b);
    }
  }

  const failures = [...found].map(([what, names]) => (names.length ? `${names.join(', ')} ${names.length > 1 ? 'carry' : 'carries'} ${what}` : what));
  for (const route of budgets.workerRoutes) if (!bundleFor(bundles, route)) failures.push(`no function for ${route} in the build output`);
  if (!crons.some((c) => c.path === budgets.cronRoute)) failures.push(`config.json has no cron for ${budgets.cronRoute}`);
  const cronBundle = bundleFor(bundles, budgets.cronRoute);
  if (cronBundle && typeof cronBundle.config.maxDuration !== 'number') failures.push(`${budgets.cronRoute} has no maxDuration`);
  const notes = [...noted].map(([what, names]) => `${names.join(', ')} carries ${what}`);
  return { failures, notes };
}

export function bundleTable(bundles: Bundle[], workers: Set<Bundle>): string {
  const rows = bundles.map((b) => {
    const routes = b.routes.filter((r) => !isAlias(r));
    const aliases = b.routes.length - routes.length;
    return [
      `${b.name}${workers.has(b) ? ' (worker)' : ''}`,
      mb(b.bytes),
      b.config.maxDuration === undefined ? '-' : `${b.config.maxDuration}s`,
      `${routes.join(' ') || b.routes.join(' ')}${aliases && routes.length ? ` (+${aliases} rsc/segment aliases)` : ''}`,
    ];
  });
  const head = ['bundle', 'size MB', 'maxDuration', 'routes'];
  const widths = head.slice(0, 3).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 3 ? (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i])) : c)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w)).concat('------')), ...rows.map(line)].join('\n');
}
