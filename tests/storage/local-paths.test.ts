import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInside } from '@/lib/storage/local-paths';

// resolveInside is the second line of defence: these inputs are what would arrive if
// assertValidKey were ever bypassed, so it must refuse them on its own.
describe('resolveInside', () => {
  const root = path.resolve('/srv/cueframe/storage');

  it.each([
    '../x',
    'a/../../etc/passwd',
    '/etc/passwd',
    '../storage-evil/x', // shares the root's prefix as a string
    '..',
    '.',
    '',
    'a/..',
    'a\0b',
  ])('refuses %j', (relative) => {
    expect(() => resolveInside(root, relative)).toThrowError(expect.objectContaining({ code: 'bad_request' }));
  });

  it('resolves normal keys beneath the root', () => {
    expect(resolveInside(root, 'videos/v1/final.mp4')).toBe(path.join(root, 'videos', 'v1', 'final.mp4'));
    expect(resolveInside(`${root}/`, 'a')).toBe(path.join(root, 'a'));
  });
});
