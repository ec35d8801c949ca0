// The rules of a person's own script, in one place for the API's schema and the form's live counter
// (pure, no zod: the form runs it on every keystroke in the browser).
export const MAX_SCRIPT_CHARS = 5000;
/** About 40 seconds of speech: a scene longer than that stops being one scene. */
export const MAX_PARAGRAPH_CHARS = 600;
/** A script's paragraphs become the scenes, so it has as many as a video may. */
export const MAX_SCRIPT_PARAGRAPHS = 12;

/** A script's scenes: its paragraphs, separated by blank lines, each trimmed. */
export function scriptParagraphs(script: string): string[] {
  return script.split(/\r?\n[ \t]*\r?\n/).map((p) => p.trim()).filter(Boolean);
}
