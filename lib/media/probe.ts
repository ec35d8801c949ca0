// Reads durations and stream parameters from MP4 (and M4A) headers with mp4box.js, in-process. Every file the
// pipeline measures is one it wrote as MP4, so the worker needs no ffprobe binary (79 MB of its bundle), and a
// probe costs a few small reads instead of a process spawn.
import { open } from 'node:fs/promises';
import { createFile, MP4BoxBuffer, type Movie, type Track } from 'mp4box';
import type { ProbeResult, ProbeStream } from './types';

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

// Headers are small; mdat is skipped by seeking to where mp4box asks for the next box.
const CHUNK = 256 * 1024;

interface Parsed {
  movie: Movie;
  sttsDeltas: Map<number, number[]>;
  /** AAC's own channel configuration; the sample entry's channel_count is 2 whatever the stream holds. */
  aacChannels: Map<number, number>;
}

// AudioSpecificConfig (ISO 14496-3): 5 bits object type, 4 bits frequency index (then 24 bits of frequency
// when it is 15), 4 bits channel configuration. Configuration 0 means a program config element decides.
function aacChannelConfig(asc: Uint8Array | undefined): number | undefined {
  if (!asc || asc.length < 2) return undefined;
  let bits = 0;
  for (const byte of asc.subarray(0, 6)) bits = bits * 256 + byte;
  const total = Math.min(asc.length, 6) * 8;
  const read = (offset: number, n: number) => Math.floor(bits / 2 ** (total - offset - n)) % 2 ** n;
  const freqIndex = read(5, 4);
  const channelsAt = freqIndex === 15 ? 33 : 9;
  if (channelsAt + 4 > total) return undefined;
  const config = read(channelsAt, 4);
  return config >= 1 && config <= 6 ? config : config === 7 ? 8 : undefined;
}

interface DescriptorLike {
  tag?: number;
  data?: Uint8Array;
  descs?: DescriptorLike[];
}

function decoderSpecificInfo(d: DescriptorLike | undefined): Uint8Array | undefined {
  if (!d) return undefined;
  if (d.tag === 5) return d.data;
  for (const child of d.descs ?? []) {
    const found = decoderSpecificInfo(child);
    if (found) return found;
  }
  return undefined;
}

async function parseHeaders(filePath: string, signal?: AbortSignal): Promise<Parsed> {
  signal?.throwIfAborted();
  const fh = await open(filePath, 'r');
  try {
    const { size } = await fh.stat();
    const mp4 = createFile();
    let movie: Movie | undefined;
    let error: string | undefined;
    mp4.onReady = (m) => {
      movie = m;
    };
    mp4.onError = (mod, message) => {
      error = `${mod}: ${message}`;
    };
    let pos = 0;
    while (!movie && !error && pos < size) {
      signal?.throwIfAborted();
      const len = Math.min(CHUNK, size - pos);
      const buf = Buffer.alloc(len);
      const { bytesRead } = await fh.read(buf, 0, len, pos);
      if (bytesRead === 0) break;
      const ab = MP4BoxBuffer.fromArrayBuffer(buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead), pos);
      const next = mp4.appendBuffer(ab, pos + bytesRead >= size);
      pos = next > pos ? next : pos + bytesRead;
    }
    if (!movie) mp4.flush();
    if (!movie) throw new Error(`${filePath} is not a readable MP4 file${error ? ` (${error})` : ''}`);
    const sttsDeltas = new Map<number, number[]>();
    const aacChannels = new Map<number, number>();
    for (const t of movie.tracks) {
      const stbl = mp4.getTrackById(t.id)?.mdia?.minf?.stbl;
      if (stbl?.stts?.sample_deltas) sttsDeltas.set(t.id, Array.from(stbl.stts.sample_deltas));
      const entry = stbl?.stsd?.entries?.[0] as { esds?: { esd?: DescriptorLike } } | undefined;
      const channels = aacChannelConfig(decoderSpecificInfo(entry?.esds?.esd));
      if (channels) aacChannels.set(t.id, channels);
    }
    return { movie, sttsDeltas, aacChannels };
  } finally {
    await fh.close();
  }
}

/**
 * A track's presented length in seconds. The edit list hides AAC priming (and B-frame delay), as players and
 * ffprobe do; it is read in the media timescale, which is exact, unless the edit trims the end as well.
 */
function trackSeconds(t: Track): number {
  const media = t.timescale > 0 ? t.duration / t.timescale : 0;
  const edits = (t.edits ?? []).filter((e) => e.media_time >= 0);
  if (edits.length !== 1 || t.movie_timescale <= 0) return media;
  const edited = (t.duration - edits[0].media_time) / t.timescale;
  const segment = edits[0].segment_duration / t.movie_timescale;
  // segment_duration is rounded to the movie timescale; anything shorter than that rounding is a real trim.
  return segment > 0 && segment < edited - 1 / t.movie_timescale ? segment : edited;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function frameRate(t: Track, deltas: number[] | undefined): string | undefined {
  const distinct = new Set(deltas ?? []);
  const [num, den] = distinct.size === 1 ? [t.timescale, [...distinct][0]] : [t.nb_samples * t.timescale, t.duration];
  if (!num || !den) return undefined;
  const g = gcd(num, den);
  return `${num / g}/${den / g}`;
}

// H.264 profile_idc, named as ffmpeg names them. Baseline, Main, Extended and High are 8-bit 4:2:0 by
// definition; the others name their format.
const AVC_PROFILES: Record<number, { name: string; pixFmt: string }> = {
  66: { name: 'Baseline', pixFmt: 'yuv420p' },
  77: { name: 'Main', pixFmt: 'yuv420p' },
  88: { name: 'Extended', pixFmt: 'yuv420p' },
  100: { name: 'High', pixFmt: 'yuv420p' },
  110: { name: 'High 10', pixFmt: 'yuv420p10le' },
  122: { name: 'High 4:2:2', pixFmt: 'yuv422p' },
  244: { name: 'High 4:4:4 Predictive', pixFmt: 'yuv444p' },
};

function codecName(codec: string): string {
  const fourcc = codec.split('.')[0];
  if (fourcc === 'avc1' || fourcc === 'avc3') return 'h264';
  if (fourcc === 'hvc1' || fourcc === 'hev1') return 'hevc';
  if (fourcc === 'mp4a') return codec.startsWith('mp4a.40') ? 'aac' : codec.startsWith('mp4a.6b') ? 'mp3' : 'mp4a';
  return fourcc;
}

function toStream(t: Track, deltas: number[] | undefined, aacChannels: number | undefined): DetailedStream | undefined {
  const codec = codecName(t.codec);
  if (t.video) {
    const avc = codec === 'h264' ? AVC_PROFILES[parseInt(t.codec.split('.')[1]?.slice(0, 2) ?? '', 16)] : undefined;
    return {
      type: 'video',
      codec,
      width: t.video.width,
      height: t.video.height,
      pixFmt: avc?.pixFmt,
      frameRate: frameRate(t, deltas),
      profile: avc?.name,
    };
  }
  if (t.audio) {
    return { type: 'audio', codec, sampleRate: t.audio.sample_rate, channels: aacChannels ?? t.audio.channel_count };
  }
  return undefined;
}

export async function probeDetailed(filePath: string, signal?: AbortSignal): Promise<DetailedProbe> {
  const { movie, sttsDeltas, aacChannels } = await parseHeaders(filePath, signal);
  const seconds = Math.max(0, ...movie.tracks.map(trackSeconds));
  return {
    durationMs: Math.round(seconds * 1000),
    streams: movie.tracks.map((t) => toStream(t, sttsDeltas.get(t.id), aacChannels.get(t.id))).filter((s): s is DetailedStream => s !== undefined),
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
