// One set of encoder settings for every clip and for compose's re-encode fallback: when every clip is encoded
// identically, concat can stream-copy instead of re-encoding the whole video.
export const FPS = 30;
export const AUDIO_RATE = 48000;

export function videoOutputOptions(): string[] {
  return [
    '-c:v', 'libx264',
    '-preset', 'veryfast',
    '-crf', '23',
    '-profile:v', 'high',
    '-pix_fmt', 'yuv420p',
    '-r', String(FPS),
    // A fixed GOP (no scene-cut keyframes) keeps segment boundaries predictable for stream-copy concat.
    '-g', String(FPS * 2),
    '-keyint_min', String(FPS * 2),
    '-sc_threshold', '0',
  ];
}

export function audioOutputOptions(): string[] {
  return ['-c:a', 'aac', '-b:a', '128k', '-ar', String(AUDIO_RATE), '-ac', '2'];
}

export function mp4OutputOptions(): string[] {
  // faststart moves the index to the front so browsers can start playback before the download finishes.
  return ['-movflags', '+faststart', '-f', 'mp4'];
}

/**
 * Escapes a value (typically a file path) for use as a filter option inside -filter_complex.
 * Two parsers see it: the filter's own key=value parser (':' separates options) and then the graph
 * parser ('[', ']', ',', ';' are structural), so it is escaped for the inner level first, then the outer.
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/** Quotes a path for an ffconcat list line; inside single quotes only the quote itself needs care. */
export function concatListLine(filePath: string): string {
  // The list is line-based and has no escape for line breaks, so such a path cannot be listed safely.
  if (/[\r\n]/.test(filePath)) throw new Error(`Cannot concat a file whose path contains a line break: ${JSON.stringify(filePath)}`);
  return `file '${filePath.replace(/'/g, `'\\''`)}'`;
}
