// Output shared by every bench: markdown tables on stdout and a JSON result file in the temp directory.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export type Cell = string | number | null;

/** Formats a number for a table: fixed decimals, thousands separators, '–' for missing. */
export function fmt(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const line = (cells: readonly Cell[]) => `| ${cells.map((c) => (c === null ? '–' : String(c))).join(' | ')} |`;
  const rule = `|${headers.map(() => '---').join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Writes the JSON result to the temp directory and returns its path. */
export async function writeResult(bench: string, data: unknown): Promise<string> {
  const dir = path.join(os.tmpdir(), 'cueframe-bench');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${bench}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await fs.writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
