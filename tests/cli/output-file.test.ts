// --out's file handling on its own: the render around it is covered end to end in generate.test.ts.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutFile, OutFileRefused, writeOutFile } from '@/scripts/output-file';

const dir = path.join(os.tmpdir(), `cueframe-out-${process.pid}`);
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const fillWith = (text: string) => (tmp: string) => fs.writeFile(tmp, text);

describe('--out FILE', () => {
  it('creates parent directories and writes the file', async () => {
    const file = path.join(dir, 'a', 'b', 'video.mp4');
    await checkOutFile(file, false);
    expect(await writeOutFile(file, false, fillWith('one'))).toBe(file);
    expect(await fs.readFile(file, 'utf8')).toBe('one');
    expect(await fs.readdir(path.dirname(file))).toEqual(['video.mp4']);
  });

  it('refuses an existing file without --force, before and after rendering, and leaves it untouched', async () => {
    const file = path.join(dir, 'taken.mp4');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(file, 'original');
    await expect(checkOutFile(file, false)).rejects.toThrow(OutFileRefused);
    // A file that appears while the video renders is not overwritten either.
    await expect(writeOutFile(file, false, fillWith('new'))).rejects.toThrow(/already exists; pass --force/);
    expect(await fs.readFile(file, 'utf8')).toBe('original');
    expect((await fs.readdir(dir)).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('overwrites with --force', async () => {
    const file = path.join(dir, 'forced.mp4');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(file, 'original');
    await checkOutFile(file, true);
    await writeOutFile(file, true, fillWith('new'));
    expect(await fs.readFile(file, 'utf8')).toBe('new');
  });

  it('refuses a directory even with --force', async () => {
    await fs.mkdir(dir, { recursive: true });
    await expect(checkOutFile(dir, true)).rejects.toThrow(/is a directory/);
  });

  it('leaves nothing behind when the copy fails', async () => {
    const file = path.join(dir, 'failed', 'video.mp4');
    const failing = async (tmp: string) => {
      await fs.writeFile(tmp, 'half');
      throw new Error('download failed');
    };
    await expect(writeOutFile(file, false, failing)).rejects.toThrow('download failed');
    expect(await fs.readdir(path.dirname(file))).toEqual([]);
  });
});
