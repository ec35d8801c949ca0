import type { Cue } from './types';

// Broadcast caption guidelines settle around 42 characters per line; longer lines get hard to read on phones.
const MAX_LINE = 42;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** WebVTT timestamps always carry hours here; players accept both forms and fixed width diffs cleanly. */
export function formatTimestamp(ms: number): string {
  const total = Math.max(0, Math.round(Number.isFinite(ms) ? ms : 0));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(total % 1000, 3)}`;
}

// Only these three are special in cue payloads; escaping '>' also defuses a literal "-->" in the text.
function escapeCueText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Greedy wrap by code points; a single word longer than a line (a URL, say) stays whole rather than being cut. */
function wrapCaption(text: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!current) current = word;
    else if (Array.from(current).length + 1 + Array.from(word).length <= MAX_LINE) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** `language` (BCP 47) goes in the header, where players and tools that read it find the captions' language. */
export function buildWebVtt(cues: Cue[], opts: { language?: string } = {}): string {
  const blocks = cues
    .map((cue) => ({ cue, lines: wrapCaption(cue.text) }))
    // A cue without text would render as an empty caption box, so it is left out.
    .filter(({ lines }) => lines.length > 0)
    .map(({ cue, lines }) => {
      const timing = `${formatTimestamp(cue.startMs)} --> ${formatTimestamp(Math.max(cue.startMs, cue.endMs))}`;
      return [timing, ...lines.map(escapeCueText)].join('\n');
    });
  const header = opts.language && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(opts.language) ? `WEBVTT\nLanguage: ${opts.language}` : 'WEBVTT';
  return [header, ...blocks].join('\n\n') + '\n';
}

/** Lays narration segments end to end, so cue n starts exactly where cue n-1 ends. */
export function cuesFromDurations(items: { text: string; durationMs: number }[]): Cue[] {
  let cursor = 0;
  return items.map(({ text, durationMs }) => {
    const startMs = cursor;
    cursor += Math.max(0, Math.round(Number.isFinite(durationMs) ? durationMs : 0));
    return { startMs, endMs: cursor, text };
  });
}
