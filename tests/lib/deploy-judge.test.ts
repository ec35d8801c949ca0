// The deploy check's rules about the speech engine (scripts/check-vercel/judge.ts), on made-up bundles:
// the worker must carry it, and no other function may.
import { describe, expect, it } from 'vitest';
import type { Bundle, BundleFile } from '@/scripts/check-vercel/bundles';
import { judgeBundles, type Budgets } from '@/scripts/check-vercel/judge';

const budgets: Budgets = { workerMaxMiB: 120, otherMaxMiB: 20, workerRoutes: ['/api/video/process-queue'], cronRoute: '/api/video/process-queue' };
const crons = [{ path: '/api/video/process-queue', schedule: '0 5 * * *' }];

const file = (key: string, size = 1000): BundleFile => ({ key, source: key, isSymlink: false, size, mode: 0o644, realPath: key });
const engine = [file('node_modules/espeak-ng/package.json'), file('node_modules/espeak-ng/dist/espeak-ng.js', 178_000), file('node_modules/espeak-ng/dist/espeak-ng.wasm', 18_485_010)];

function bundle(name: string, routes: string[], files: BundleFile[]): Bundle {
  return { name, routes, config: { runtime: 'nodejs24.x', maxDuration: 300 }, files, bytes: files.reduce((n, f) => n + f.size, 0) };
}

const speechFailures = (bundles: Bundle[]) => judgeBundles(bundles, crons, budgets).failures.filter((f) => /speech engine/.test(f));

describe('the deploy check and the speech engine', () => {
  it('passes a worker that carries the engine next to functions that do not', () => {
    const bundles = [bundle('worker', ['/api/video/process-queue'], engine), bundle('status', ['/api/video/status/[id]'], [file('x.js')])];
    expect(judgeBundles(bundles, crons, budgets).failures).toEqual([]);
    expect(judgeBundles(bundles, crons, budgets).notes.join('\n')).toMatch(/worker carries the speech engine, 17\.\d MB/);
  });

  it('fails a worker without the engine, naming the missing file', () => {
    const bundles = [bundle('worker', ['/api/video/process-queue'], engine.filter((f) => !f.key.endsWith('.wasm')))];
    expect(speechFailures(bundles)).toEqual([expect.stringMatching(/worker carries no speech engine \(missing node_modules\/espeak-ng\/dist\/espeak-ng\.wasm\)/)]);
  });

  it('fails any other function that carries any of it', () => {
    const bundles = [
      bundle('worker', ['/api/video/process-queue'], engine),
      bundle('generate', ['/api/video/generate'], [file('node_modules/espeak-ng/package.json')]),
    ];
    expect(speechFailures(bundles)).toEqual([expect.stringMatching(/^generate carries the speech engine though it narrates nothing/)]);
  });
});
