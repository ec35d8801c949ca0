import { clampPercent } from './format';

interface ProgressBarProps {
  /** 0–100; clamped and rounded. */
  value: number;
  /** What is happening now, e.g. "Rendering scene 2 of 4"; read out with the percentage. */
  stepLabel: string;
  /** The bar's accessible name, e.g. "Video progress". */
  label: string;
  size?: 'sm' | 'md';
  /** Shows a moving sheen while work is under way (off under prefers-reduced-motion). */
  active?: boolean;
}

export function ProgressBar({ value, stepLabel, label, size = 'md', active = true }: ProgressBarProps) {
  const pct = clampPercent(value);
  return (
    <div
      className={`progress progress-${size}${active ? ' progress-active' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-valuetext={stepLabel ? `${pct}% · ${stepLabel}` : `${pct}%`}
    >
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
