const WIDTH = 30;

export function progressLine(progress: number, label: string): string {
  const p = Math.max(0, Math.min(100, Math.round(progress)));
  const filled = Math.round((p / 100) * WIDTH);
  return `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${String(p).padStart(3)}%  ${label}`.padEnd(80);
}
