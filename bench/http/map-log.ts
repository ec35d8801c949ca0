// Reading V8's map log (`node --log-maps --logfile=…`): which operations gave objects new hidden
// classes ("maps") during a window, and in which function. A process in steady state should make
// none per request: maps live in old space and only a full GC frees them, and an object whose map is
// unique keeps its own prototype and descriptors there until then.

export interface MapSource {
  /** V8's event (Transition, Normalize, ReplaceDescriptors, …), its reason and the property named. */
  event: string;
  reason: string;
  property: string;
  /** The function that ran the operation, from the log's code-creation events; `pc 0x…` if unknown. */
  at: string;
  count: number;
}

interface CodeRange {
  start: bigint;
  end: bigint;
  name: string;
}

function codeRanges(lines: string[]): CodeRange[] {
  const ranges: CodeRange[] = [];
  for (const line of lines) {
    if (!line.startsWith('code-creation,')) continue;
    // code-creation,<type>,<kind>,<time>,<address>,<size>,<name>[,…]
    const f = line.split(',');
    try {
      const start = BigInt(f[4]!);
      ranges.push({ start, end: start + BigInt(f[5]!), name: (f[6] ?? '').trim() });
    } catch {
      // a line cut short while the process was still writing it
    }
  }
  return ranges.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

function functionAt(ranges: CodeRange[], pc: bigint): string | null {
  let lo = 0;
  let hi = ranges.length - 1;
  let found: CodeRange | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid]!.start <= pc) {
      found = ranges[mid]!;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Code is moved and re-created over a run, so the latest range that starts below pc may be stale;
  // a miss is reported as the raw pc rather than guessed.
  return found && pc < found.end ? found.name : null;
}

/**
 * Map events in `window` (the log's lines from one offset to another), grouped by what made them;
 * `all` is the whole log, for resolving code addresses.
 */
export function mapSources(all: string[], window: string[]): { events: number; created: number; sources: MapSource[] } {
  const ranges = codeRanges(all);
  const bySource = new Map<string, MapSource>();
  let events = 0;
  let created = 0;
  for (const line of window) {
    if (line.startsWith('map-create,')) created++;
    if (!line.startsWith('map,')) continue;
    // map,<event>,<time>,<from>,<to>,<pc>,<line>,<column>,<reason>,<property…>
    const f = line.split(',');
    if (f.length < 9) continue;
    events++;
    let at = `pc ${f[5]}`;
    try {
      at = functionAt(ranges, BigInt(f[5]!)) ?? at;
    } catch {
      // not an address
    }
    const source = { event: f[1]!, reason: f[8]!, property: f.slice(9).join(','), at };
    const key = `${source.event}\n${source.reason}\n${source.property}\n${source.at}`;
    const seen = bySource.get(key);
    if (seen) seen.count++;
    else bySource.set(key, { ...source, count: 1 });
  }
  return { events, created, sources: [...bySource.values()].sort((a, b) => b.count - a.count) };
}
