import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fontPath, resolveFfmpegPath, type ResolveDeps } from '@/lib/media/binaries';

// A fake world: which modules "exist" and which files are on disk.
function world(modules: Record<string, unknown>, files: string[], extra: Partial<ResolveDeps> = {}): ResolveDeps {
  return {
    tryRequire: (id) => modules[id],
    exists: (p) => files.includes(p),
    pathDirs: [],
    ...extra,
  };
}

const bothPackages = { 'ffmpeg-static': '/static/ffmpeg', '@ffmpeg-installer/ffmpeg': { path: '/installer/ffmpeg' } };

describe('resolveFfmpegPath', () => {
  it('prefers FFMPEG_PATH over everything else', () => {
    const deps = world(bothPackages, ['/static/ffmpeg', '/installer/ffmpeg', '/usr/bin/ffmpeg'], {
      ffmpegPath: '/custom/ffmpeg',
      pathDirs: ['/usr/bin'],
    });
    expect(resolveFfmpegPath(deps)).toBe('/custom/ffmpeg');
  });

  it('uses the installer first: production runs the same ffmpeg as the tests', () => {
    expect(resolveFfmpegPath(world(bothPackages, ['/static/ffmpeg', '/installer/ffmpeg']))).toBe('/installer/ffmpeg');
  });

  it('falls back to ffmpeg-static on platforms the installer has no binary for', () => {
    expect(resolveFfmpegPath(world(bothPackages, ['/static/ffmpeg']))).toBe('/static/ffmpeg');
    const noInstaller = { 'ffmpeg-static': '/static/ffmpeg' };
    expect(resolveFfmpegPath(world(noInstaller, ['/static/ffmpeg']))).toBe('/static/ffmpeg');
  });

  it('accepts ffmpeg-static as an ESM-style default export', () => {
    const mods = { 'ffmpeg-static': { default: '/static/ffmpeg' } };
    expect(resolveFfmpegPath(world(mods, ['/static/ffmpeg']))).toBe('/static/ffmpeg');
  });

  it('skips ffmpeg-static when it exports null (unsupported platform)', () => {
    const mods = { ...bothPackages, 'ffmpeg-static': null };
    expect(resolveFfmpegPath(world(mods, ['/installer/ffmpeg']))).toBe('/installer/ffmpeg');
  });

  it('falls back to the first PATH directory holding ffmpeg', () => {
    const deps = world({}, ['/opt/b/ffmpeg', '/opt/c/ffmpeg'], { pathDirs: ['/opt/a', '/opt/b', '/opt/c'] });
    expect(resolveFfmpegPath(deps)).toBe('/opt/b/ffmpeg');
  });

  it('skips both packages when their binaries are missing', () => {
    const deps = world(bothPackages, ['/opt/a/ffmpeg'], { pathDirs: ['/opt/a'] });
    expect(resolveFfmpegPath(deps)).toBe('/opt/a/ffmpeg');
  });

  it('names all four places when nothing is found', () => {
    const run = () => resolveFfmpegPath(world(bothPackages, [], { pathDirs: ['/opt/a'] }));
    expect(run).toThrow(/FFMPEG_PATH/);
    expect(run).toThrow(/ffmpeg-static/);
    expect(run).toThrow(/@ffmpeg-installer\/ffmpeg/);
    expect(run).toThrow(/PATH\./);
  });

  it('finds the installer with the real module loader', () => {
    const found = resolveFfmpegPath({ pathDirs: [] });
    expect(found).toMatch(/@ffmpeg-installer/);
  });

  it('resolves a real, runnable ffmpeg on this machine by default', () => {
    const found = resolveFfmpegPath();
    expect(statSync(found).isFile()).toBe(true);
    expect(() => accessSync(found, constants.X_OK)).not.toThrow();
    expect(execFileSync(found, ['-version']).toString()).toMatch(/^ffmpeg version/);
    expect(resolveFfmpegPath()).toBe(found);
  });
});

describe('fontPath', () => {
  it('finds the regular and bold DejaVu fonts', () => {
    expect(fontPath()).toMatch(/DejaVuSans\.ttf$/);
    expect(fontPath(true)).toMatch(/DejaVuSans-Bold\.ttf$/);
    expect(statSync(fontPath()).size).toBeGreaterThan(100_000);
    expect(statSync(fontPath(true)).size).toBeGreaterThan(100_000);
  });
});
