// ffprobe for the tests only: it reads any format (the PNGs the image steps write) and every packet's
// timestamp, which the app itself never needs. It is a devDependency, so no deployed bundle carries it.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { ProbeResult, ProbeStream } from '@/lib/media/types';

const execFileAsync = promisify(execFile);

export function ffprobePath(): string {
  return (createRequire(import.meta.url)('@ffprobe-installer/ffprobe') as { path: string }).path;
}

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
}

/** The app's ProbeResult shape, for files mp4box does not read (images). */
export async function ffprobe(filePath: string): Promise<ProbeResult> {
  const { stdout } = await execFileAsync(ffprobePath(), ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', filePath]);
  const raw = JSON.parse(stdout) as { streams?: RawStream[]; format?: { duration?: string } };
  const streams: ProbeStream[] = [];
  for (const s of raw.streams ?? []) {
    if (s.codec_type === 'video') streams.push({ type: 'video', codec: s.codec_name ?? 'unknown', width: s.width, height: s.height });
    else if (s.codec_type === 'audio') streams.push({ type: 'audio', codec: s.codec_name ?? 'unknown' });
  }
  return { durationMs: Math.round(Number(raw.format?.duration ?? 0) * 1000), streams };
}
