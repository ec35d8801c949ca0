// Captions timed to a scene's narration. A provider that synthesizes its speech sentence by sentence
// reports where each sentence is spoken, and those cues are stored with the scene. Otherwise (a provider
// that reports no timing, or a scene rendered before cues were stored) sentences share the narration's
// length in proportion to how much text they hold, which tracks speech closely enough to read along.
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

/**
 * A scene's stored cues (relative to the scene's start), moved to the scene's place in the video and kept
 * inside its length; null when the scene has none, so the caller estimates instead.
 */
export function storedSceneCues(stored: unknown, durationMs: number, offsetMs = 0): TimedCue[] | null {
  if (!Array.isArray(stored) || stored.length === 0) return null;
  const cues: TimedCue[] = [];
  for (const c of stored as unknown[]) {
    if (!c || typeof c !== 'object') return null;
    const { text, startMs, endMs } = c as Record<string, unknown>;
    if (typeof text !== 'string' || typeof startMs !== 'number' || typeof endMs !== 'number') return null;
    const start = Math.min(Math.max(0, startMs), durationMs);
    cues.push({ text, startMs: offsetMs + start, endMs: offsetMs + Math.min(Math.max(start, endMs), durationMs) });
  }
  return cues;
}
