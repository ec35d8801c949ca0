// Where `--out FILE` puts the finished MP4. The file appears whole or not at all: the copy lands in a
// temporary name beside it first, and without --force a hard link claims the name only if it is free,
// so a file that appeared while the video rendered is still not overwritten.
import fs from 'node:fs/promises';
import path from 'node:path';

/** A --out name the CLI will not write to; reported as one line with exit code 2. */
export class OutFileRefused extends Error {}

const exists = (file: string) => new OutFileRefused(`${file} already exists; pass --force to overwrite it.`);

/** Checked before rendering, so a taken name is refused before minutes of work, not after. */
export async function checkOutFile(file: string, force: boolean): Promise<void> {
  const stat = await fs.stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (stat?.isDirectory()) throw new OutFileRefused(`${file} is a directory; --out needs a file name.`);
  if (stat && !force) throw exists(file);
}

/** Creates the parent directories, lets fill write the temporary file, then moves it into place. */
export async function writeOutFile(file: string, force: boolean, fill: (tmp: string) => Promise<void>): Promise<string> {
  const target = path.resolve(file);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`);
  try {
    await fill(tmp);
    if (force) {
      await fs.rename(tmp, target);
    } else {
      await fs.link(tmp, target).catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'EEXIST' ? exists(file) : err;
      });
    }
  } finally {
    await fs.rm(tmp, { force: true });
  }
  return target;
}
