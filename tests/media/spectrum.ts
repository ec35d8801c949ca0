// Spectral measures for the music tests: band energy per frame (how far the bed sits under the voice) and
// the dominant pitch class per window (whether a bed moves through chords or drones on one).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveFfmpegPath } from '@/lib/media/binaries';

const run = promisify(execFile);

/** The first audio stream of any file ffmpeg reads, downmixed to mono float samples at `rate`. */
export async function decodeMono(filePath: string, rate: number): Promise<Float32Array> {
  const { stdout } = await run(
    resolveFfmpegPath(),
    ['-v', 'error', '-i', filePath, '-map', '0:a:0', '-f', 'f32le', '-ac', '1', '-ar', String(rate), '-'],
    { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
  );
  return new Float32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.length));
}

/** In-place iterative radix-2 FFT; re.length must be a power of two. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k);
        const wi = Math.sin(ang * k);
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

/** Power spectrum of samples[start, start+size) under a Hann window (bins 0..size/2). */
function powerSpectrum(samples: Float32Array, start: number, size: number): Float64Array {
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let i = 0; i < size; i++) re[i] = (samples[start + i] ?? 0) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1)));
  fft(re, im);
  const out = new Float64Array(size / 2 + 1);
  for (let k = 0; k <= size / 2; k++) out[k] = re[k] * re[k] + im[k] * im[k];
  return out;
}

/** Energy between loHz and hiHz in consecutive frames of `size` samples. */
export function bandEnergy(samples: Float32Array, rate: number, size: number, loHz: number, hiHz: number): number[] {
  const out: number[] = [];
  const lo = Math.ceil((loHz * size) / rate);
  const hi = Math.floor((hiHz * size) / rate);
  for (let start = 0; start + size <= samples.length; start += size) {
    const p = powerSpectrum(samples, start, size);
    let e = 0;
    for (let k = lo; k <= hi; k++) e += p[k];
    out.push(e);
  }
  return out;
}

export const db = (ratio: number) => 10 * Math.log10(ratio);

/**
 * The loudest pitch class (0 = C) in each window of `size` samples, hop size/2, over 55-2000 Hz: each bin's
 * energy goes to the pitch class nearest its frequency.
 */
export function dominantPitchClasses(samples: Float32Array, rate: number, size: number): number[] {
  const out: number[] = [];
  for (let start = 0; start + size <= samples.length; start += size / 2) {
    const p = powerSpectrum(samples, start, size);
    const chroma = new Array<number>(12).fill(0);
    for (let k = 1; k < p.length; k++) {
      const f = (k * rate) / size;
      if (f < 55 || f > 2000) continue;
      const midi = Math.round(69 + 12 * Math.log2(f / 440));
      chroma[((midi % 12) + 12) % 12] += p[k];
    }
    out.push(chroma.indexOf(Math.max(...chroma)));
  }
  return out;
}

/** How many times a sequence changes value. */
export function changes(seq: number[]): number {
  let n = 0;
  for (let i = 1; i < seq.length; i++) if (seq[i] !== seq[i - 1]) n++;
  return n;
}
