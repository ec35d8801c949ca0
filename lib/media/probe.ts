import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveFfprobePath } from './binaries';
import type { ProbeResult, ProbeStream } from './types';

const execFileAsync = promisify(execFile);

/** Extra fields compose needs to decide whether clips can be stream-copied; not part of the public contract. */
export interface DetailedStream extends ProbeStream {
  pixFmt?: string;
  frameRate?: string;
  profile?: string;
  sampleRate?: number;
  channels?: number;
}

export interface DetailedProbe {
  durationMs: number;
  streams: DetailedStream[];
}

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  r_frame_rate?: string;
  profile?: string;
  sample_rate?: string;
  channels?: number;
  duration?: string;
}

interface RawProbe {
  streams?: RawStream[];
  format?: { duration?: string };
}

function toStream(s: RawStream): DetailedStream | undefined {
  if (s.codec_type !== 'video' && s.codec_type !== 'audio') return undefined;
  const base: DetailedStream = { type: s.codec_type, codec: s.codec_name ?? 'unknown' };
  if (s.codec_type === 'video') {
    return { ...base, width: s.width, height: s.height, pixFmt: s.pix_fmt, frameRate: s.r_frame_rate, profile: s.profile };
  }
  return { ...base, sampleRate: s.sample_rate ? Number(s.sample_rate) : undefined, channels: s.channels };
}

export async function probeDetailed(filePath: string, signal?: AbortSignal): Promise<DetailedProbe> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', filePath];
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(resolveFfprobePath(), args, { signal, maxBuffer: 16 * 1024 * 1024 }));
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`ffprobe failed for ${filePath}: ${stderr || (err as Error).message}`);
  }
  const raw = JSON.parse(stdout) as RawProbe;
  const rawStreams = raw.streams ?? [];
  // Container duration first; fall back to the longest stream for files whose header lacks one.
  const seconds =
    Number(raw.format?.duration) || Math.max(0, ...rawStreams.map((s) => Number(s.duration) || 0));
  return {
    durationMs: Math.round(seconds * 1000),
    streams: rawStreams.map(toStream).filter((s): s is DetailedStream => s !== undefined),
  };
}

export async function probe(filePath: string, signal?: AbortSignal): Promise<ProbeResult> {
  const detailed = await probeDetailed(filePath, signal);
  return {
    durationMs: detailed.durationMs,
    streams: detailed.streams.map(({ type, codec, width, height }) =>
      type === 'video' ? { type, codec, width, height } : { type, codec },
    ),
  };
}
