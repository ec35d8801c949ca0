// The Prometheus text exposition format, version 0.0.4: # HELP and # TYPE per family, then one
// `name{label="value"} number` line per sample, label values and help text escaped.

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'gauge' | 'counter' | 'histogram';
export type Labels = Record<string, string>;

export interface Sample {
  /** The full sample name, e.g. `x_bucket` for a histogram family `x`; defaults to the family name. */
  name?: string;
  labels?: Labels;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function formatLabels(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

export function renderFamilies(families: Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) lines.push(`${s.name ?? f.name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A histogram's samples: cumulative buckets ending with +Inf (= count), then _sum and _count. */
export function histogramSamples(
  name: string,
  labels: Labels,
  h: { buckets: { le: number; count: number }[]; count: number; sum: number },
): Sample[] {
  const buckets = h.buckets.map((b) => ({
    name: `${name}_bucket`, labels: { ...labels, le: formatValue(b.le) }, value: b.count,
  }));
  return [
    ...buckets,
    { name: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: h.count },
    { name: `${name}_sum`, labels, value: h.sum },
    { name: `${name}_count`, labels, value: h.count },
  ];
}
