// A tiny parser for the Prometheus text format that throws on anything malformed: every non-comment
// line is `name{labels} value`, every family has # HELP and # TYPE before its samples, and histogram
// buckets are cumulative, ascending, and end with le="+Inf" equal to _count.
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Record<string, string>;
  samples: ParsedSample[];
  value(name: string, labels?: Record<string, string>): number | undefined;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(?:,|$)/y;

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const m = LABEL.exec(text);
    if (!m) throw new Error(`bad labels in: ${line}`);
    labels[m[1]!] = m[2]!.replace(/\\([\\"n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function parseValue(v: string, line: string): number {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  if (v === 'NaN') return NaN;
  if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v)) throw new Error(`bad value in: ${line}`);
  return Number(v);
}

const sameLabels = (a: Record<string, string>, b: Record<string, string>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

function withoutLe(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => k !== 'le'));
}

function checkHistogram(name: string, samples: ParsedSample[]): void {
  const buckets = samples.filter((s) => s.name === `${name}_bucket`);
  const series = new Map<string, ParsedSample[]>();
  for (const b of buckets) {
    const key = JSON.stringify(Object.entries(withoutLe(b.labels)).sort());
    series.set(key, [...(series.get(key) ?? []), b]);
  }
  for (const list of series.values()) {
    const les = list.map((b) => parseValue(b.labels.le ?? '', 'le'));
    if (les.some((le, i) => i > 0 && le <= les[i - 1]!)) throw new Error(`${name}: buckets not ascending`);
    if (list.some((b, i) => i > 0 && b.value < list[i - 1]!.value)) throw new Error(`${name}: buckets not cumulative`);
    const last = list[list.length - 1]!;
    if (last.labels.le !== '+Inf') throw new Error(`${name}: last bucket is not +Inf`);
    const base = withoutLe(last.labels);
    const count = samples.find((s) => s.name === `${name}_count` && sameLabels(s.labels, base));
    if (!count || count.value !== last.value) throw new Error(`${name}: +Inf bucket differs from _count`);
    if (!samples.some((s) => s.name === `${name}_sum` && sameLabels(s.labels, base))) throw new Error(`${name}: no _sum`);
  }
}

export function parseExposition(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const types: Record<string, string> = {};
  const helps = new Set<string>();
  const samples: ParsedSample[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (comment) {
      if (comment[1] === 'HELP') helps.add(comment[2]!);
      else if (comment[2]! in types) throw new Error(`second TYPE for ${comment[2]}`);
      else types[comment[2]!] = comment[3]!;
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const name = m[1]!;
    const family = Object.keys(types).find((f) => f === name || (types[f] === 'histogram' && /^_(bucket|sum|count)$/.test(name.slice(f.length)) && name.startsWith(f)));
    if (!family || !helps.has(family)) throw new Error(`sample before its # HELP and # TYPE: ${line}`);
    samples.push({ name, labels: parseLabels(m[2] ?? '', line), value: parseValue(m[3]!, line) });
  }
  for (const [name, type] of Object.entries(types)) if (type === 'histogram') checkHistogram(name, samples);
  return {
    types,
    samples,
    value: (name, labels = {}) => samples.find((s) => s.name === name && sameLabels(s.labels, labels))?.value,
  };
}
