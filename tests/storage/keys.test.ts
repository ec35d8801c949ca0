import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { assertValidKey, videoKeys } from '@/lib/storage/keys';

const badKeys: Array<[string, string]> = [
  ['empty', ''],
  ['parent traversal', '../x'],
  ['nested traversal', 'a/../../etc/passwd'],
  ['trailing parent', 'videos/..'],
  ['absolute', '/abs'],
  ['double slash', 'a//b'],
  ['backslash', 'a\\b'],
  ['backslash traversal', '..\\..\\x'],
  ['percent-encoded dots', '%2e%2e/x'],
  ['percent-encoded slash', 'a%2Fb'],
  ['NUL byte', 'a\0b'],
  ['single dot', '.'],
  ['dot segment', 'a/./b'],
  ['double dot', '..'],
  ['trailing slash', 'videos/abc/'],
  ['sidecar key', 'videos/abc/final.mp4.meta.json'],
  ['sidecar key, other case', 'videos/abc/final.mp4.META.JSON'],
  ['sidecar as directory', 'videos/x.meta.json/final.mp4'],
  ['600 characters', 'a'.repeat(600)],
  ['513 characters', `videos/${'b'.repeat(506)}`],
  ['space', 'videos/a b.mp4'],
  ['newline', 'videos/a\nb.mp4'],
  ['tilde (temp-file namespace)', 'videos/a.~tmp'],
  ['unicode', 'videos/é.mp4'],
  ['query characters', 'videos/a.mp4?x=1'],
];

describe('assertValidKey', () => {
  it.each(badKeys)('rejects %s', (_label, key) => {
    let thrown: unknown;
    try {
      assertValidKey(key);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('bad_request');
  });

  it.each([
    'videos/3f2b8c1e-7d4a-4e1b-9c2a-1b2c3d4e5f60/scenes/0.mp4',
    'videos/3f2b8c1e-7d4a-4e1b-9c2a-1b2c3d4e5f60/final.mp4',
    'videos/abc/poster.jpg',
    'videos/abc/captions.vtt',
    'a',
    'A-Z_0.9',
    '...hidden',
    'x'.repeat(512),
  ])('accepts %s and returns it unchanged', (key) => {
    expect(assertValidKey(key)).toBe(key);
  });
});

describe('videoKeys', () => {
  const id = '3f2b8c1e-7d4a-4e1b-9c2a-1b2c3d4e5f60';

  it('builds the documented layout', () => {
    const keys = videoKeys(id);
    expect(keys.prefix).toBe(`videos/${id}/`);
    expect(keys.final('How do bees make honey?')).toBe(`videos/${id}/how-do-bees-make-honey.mp4`);
    expect(keys.poster).toBe(`videos/${id}/poster.jpg`);
    expect(keys.captions).toBe(`videos/${id}/captions.vtt`);
    expect(keys.scene(0)).toBe(`videos/${id}/scenes/0.mp4`);
    expect(keys.scene(12)).toBe(`videos/${id}/scenes/12.mp4`);
  });

  it('is deterministic, so a re-run overwrites the same keys', () => {
    const a = videoKeys(id);
    const b = videoKeys(id);
    expect([a.final('Bees'), a.poster, a.captions, a.scene(3)]).toEqual([b.final('Bees'), b.poster, b.captions, b.scene(3)]);
  });

  it('produces only valid keys', () => {
    const keys = videoKeys(id);
    for (const key of [keys.final('Bees'), keys.final('🐝'), keys.poster, keys.captions, keys.scene(0)]) expect(assertValidKey(key)).toBe(key);
  });

  it.each(['', '..', 'a/b', '../x', 'x.meta.json', 'a b'])('rejects video id %j', (bad) => {
    expect(() => videoKeys(bad)).toThrow(AppError);
  });

  it.each([-1, 1.5, Number.NaN])('rejects scene index %s', (bad) => {
    expect(() => videoKeys(id).scene(bad)).toThrow(AppError);
  });
});
