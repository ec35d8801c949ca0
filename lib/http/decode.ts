// Percent-decoding that never throws: a malformed escape is input we never issued, answered as absent
// (a cookie to replace, a path with nothing at it) rather than as a URIError and a 500.
export function decodeOrUndefined(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
