// Deterministic scripts from the topic and description: the same request always plans the same video.
import type { PlanRequest, PlannedScene } from '@/lib/providers/types';

const openers = [
  (t: string) => `Let's explore ${t}.`,
  (t: string) => `Here is what makes ${t} worth knowing about.`,
  (t: string) => `A closer look at how ${t} works.`,
  (t: string) => `Some surprising facts about ${t}.`,
  (t: string) => `Why ${t} matters today.`,
  (t: string) => `How ${t} has changed over time.`,
  (t: string) => `The people and ideas behind ${t}.`,
  (t: string) => `Common questions about ${t}.`,
  (t: string) => `Mistakes people make with ${t}.`,
  (t: string) => `Where ${t} goes next.`,
  (t: string) => `What to remember about ${t}.`,
];

function sentences(text: string): string[] {
  return (text.match(/[^.!?]+[.!?]*/g) ?? []).map((s) => s.trim()).filter(Boolean);
}

/** Roughly the time a narrator needs for the words, between 3 and 8 seconds. */
export function narrationMs(narration: string): number {
  const words = narration.split(/\s+/).filter(Boolean).length;
  return Math.round(Math.min(8, Math.max(3, words / 2.6)) * 1000);
}

export function planLocally(req: PlanRequest): PlannedScene[] {
  const topic = req.topic.trim();
  if (req.script) {
    // The person's own words are narrated as written; only the pictures are ours to choose.
    return req.script.map((narration, i) => ({
      narration,
      visualPrompt: `Scene ${i + 1} of ${req.script!.length} about ${topic}: ${narration}`,
      durationMs: narrationMs(narration),
    }));
  }
  const details = sentences(req.description ?? '');
  return Array.from({ length: req.sceneCount }, (_, i) => {
    const last = req.sceneCount > 1 && i === req.sceneCount - 1;
    const opener = last ? `That's ${topic} in a nutshell. Thanks for watching.` : openers[i % openers.length]!(topic);
    const detail = details.length ? details[i % details.length] : '';
    const narration = [opener, last ? '' : detail].filter(Boolean).join(' ');
    return {
      narration,
      visualPrompt: `Scene ${i + 1} of ${req.sceneCount} about ${topic}: ${narration}`,
      durationMs: narrationMs(narration),
    };
  });
}
