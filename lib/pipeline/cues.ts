// Captions timed to a scene's narration: sentences share the narration's length in proportion to
// how much text they hold, which tracks speech closely enough to read along.
export interface TimedCue {
  text: string;
  startMs: number;
  endMs: number;
}

export function sceneCues(narration: string, durationMs: number, offsetMs = 0): TimedCue[] {
  const parts = (narration.match(/[^.!?]+[.!?]*/g) ?? [narration]).map((s) => s.trim()).filter(Boolean);
  const total = parts.reduce((n, p) => n + p.length, 0) || 1;
  let at = 0;
  return parts.map((text, i) => {
    const startMs = offsetMs + Math.round((at / total) * durationMs);
    at += text.length;
    const endMs = i === parts.length - 1 ? offsetMs + durationMs : offsetMs + Math.round((at / total) * durationMs);
    return { text, startMs, endMs };
  });
}
