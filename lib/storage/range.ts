// Single-range parsing per RFC 9110 §14; <video> seeking depends on it. Anything we do not support
// (other units, multiple ranges, malformed specs) is ignored and answered with the full body, which
// the RFC allows and which spares us multipart/byteranges responses.
export type RangeResult =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number } // inclusive
  | { kind: 'unsatisfiable' };

const FULL: RangeResult = { kind: 'full' };
const UNSATISFIABLE: RangeResult = { kind: 'unsatisfiable' };
const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

export function parseRange(header: string | null, size: number): RangeResult {
  if (header === null) return FULL;
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return FULL;
  const [, first, last] = match;
  if (first === '' && last === '') return FULL;

  if (first === '') {
    // "bytes=-n": the last n bytes. Number() of a huge digit string is Infinity, which clamps fine.
    const length = Number(last);
    if (length === 0 || size === 0) return UNSATISFIABLE;
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }

  const start = Number(first);
  if (last !== '' && Number(last) < start) return FULL; // invalid range-spec: ignore it
  if (start >= size) return UNSATISFIABLE;
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'partial', start, end };
}
