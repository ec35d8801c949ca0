import { aspectRatios, dimensionsFor, resolutions, type AspectRatio, type Resolution } from '@/lib/media/dimensions';
import { MAX_PARAGRAPH_CHARS, MAX_SCRIPT_CHARS, MAX_SCRIPT_PARAGRAPHS, scriptParagraphs } from '@/lib/schemas/script';

export { MAX_PARAGRAPH_CHARS, MAX_SCRIPT_CHARS, MAX_SCRIPT_PARAGRAPHS };

export const TOPIC_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const SCENES_MIN = 1;
export const SCENES_MAX = 12;

export const aspectLabels: Record<AspectRatio, string> = {
  '16:9': '16:9 Landscape',
  '9:16': '9:16 Portrait (Shorts/Reels)',
  '1:1': '1:1 Square',
  '4:3': '4:3',
  '3:4': '3:4',
  '21:9': '21:9 Cinematic',
};

export const resolutionLabels: Record<Resolution, string> = {
  '720p': '720p HD',
  '1080p': '1080p Full HD',
};

export const aspectOptions = aspectRatios.map((value) => ({ value, label: aspectLabels[value] }));
export const resolutionOptions = resolutions.map((value) => ({ value, label: resolutionLabels[value] }));

export function frameSize(aspect: AspectRatio, resolution: Resolution): string {
  const { width, height } = dimensionsFor(aspect, resolution);
  return `${width} × ${height} px`;
}

/** The fields inside the "Generation options" group, in page order. */
export const optionFieldNames = ['provider', 'motion', 'voice', 'music', 'musicVolume', 'burnCaptions'] as const;
export type OptionFieldName = (typeof optionFieldNames)[number];

export type FieldName =
  | 'topic' | 'language' | 'description' | 'script' | 'sceneCount' | 'aspectRatio' | 'resolution' | OptionFieldName | 'review';
/** Every field in page order, so the first one with an error gets the focus. */
export const fieldNames: readonly FieldName[] = [
  'topic',
  'language',
  'description',
  'script',
  'sceneCount',
  'aspectRatio',
  'resolution',
  ...optionFieldNames,
  'review',
];

export function isOptionField(name: FieldName): name is OptionFieldName {
  return (optionFieldNames as readonly string[]).includes(name);
}

/** Fields drawn from /api/capabilities: they are on the page only once it has answered. */
export function needsCapabilities(name: FieldName): boolean {
  return isOptionField(name) || name === 'language';
}

export interface FormValues {
  topic: string;
  description: string;
  /** The person writes the narration themselves (or the chosen language leaves them no other way). */
  ownScript: boolean;
  script: string;
  sceneCount: string;
  aspectRatio: AspectRatio;
  resolution: Resolution;
  review: boolean;
}

export type FieldErrors = Partial<Record<FieldName, string>>;

const n = (x: number) => x.toLocaleString('en');

export interface ScriptStats {
  /** Scenes the script makes: one per paragraph. */
  scenes: number;
  characters: number;
  /** 1-based numbers of the paragraphs longer than a scene may be. */
  tooLong: number[];
}

/** What the live counter under the script shows, counted the way the API counts. */
export function scriptStats(script: string): ScriptStats {
  const paragraphs = scriptParagraphs(script);
  return {
    scenes: paragraphs.length,
    characters: script.length,
    tooLong: paragraphs.flatMap((p, i) => (p.length > MAX_PARAGRAPH_CHARS ? [i + 1] : [])),
  };
}

/** "3 scenes · 1,234 / 5,000 characters". */
export function scriptCount(stats: ScriptStats): string {
  const scenes = `${stats.scenes} ${stats.scenes === 1 ? 'scene' : 'scenes'}`;
  return `${scenes} · ${n(stats.characters)} / ${n(MAX_SCRIPT_CHARS)} characters`;
}

/** What is wrong with a script, in words, or null. The same limits the API enforces. */
export function scriptProblem(script: string): string | null {
  const stats = scriptStats(script);
  if (stats.scenes === 0) return 'Write your script: at least one paragraph.';
  if (stats.characters > MAX_SCRIPT_CHARS) return `Keep the script to ${n(MAX_SCRIPT_CHARS)} characters or fewer.`;
  if (stats.scenes > MAX_SCRIPT_PARAGRAPHS) {
    return `A video has at most ${MAX_SCRIPT_PARAGRAPHS} scenes, and this script has ${stats.scenes} paragraphs. Join some of them.`;
  }
  if (stats.tooLong.length > 0) return tooLongMessage(stats.tooLong);
  return null;
}

/** "Paragraph 3 is too long…" / "Paragraphs 2 and 5 are too long…". */
export function tooLongMessage(numbers: number[]): string {
  const list = numbers.length === 1 ? `Paragraph ${numbers[0]} is` : `Paragraphs ${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)} are`;
  return `${list} longer than ${n(MAX_PARAGRAPH_CHARS)} characters (about 40 seconds of speech). Split it with a blank line.`;
}

/** The same limits the API enforces, checked first so most mistakes never leave the browser. */
export function validate(v: FormValues, opts: { scriptMode: boolean }): FieldErrors {
  const errors: FieldErrors = {};
  const topic = v.topic.trim();
  if (!topic) errors.topic = 'Enter a topic for your video.';
  else if (topic.length > TOPIC_MAX) errors.topic = topicTooLong(topic)!;
  if (opts.scriptMode) {
    // The paragraphs decide the scene count, and the script takes the description's place.
    const problem = scriptProblem(v.script);
    if (problem) errors.script = problem;
    return errors;
  }
  if (v.description.trim().length > DESCRIPTION_MAX)
    errors.description = `Keep the description to ${DESCRIPTION_MAX} characters or fewer.`;
  const count = Number(v.sceneCount);
  if (!v.sceneCount.trim() || !Number.isInteger(count) || count < SCENES_MIN || count > SCENES_MAX)
    errors.sceneCount = `Choose a whole number of scenes from ${SCENES_MIN} to ${SCENES_MAX}.`;
  return errors;
}

/** What the form POSTs to /api/video/generate. */
export function requestBody<Choice extends object>(v: FormValues, choice: Choice | null, opts: { scriptMode: boolean }) {
  return {
    topic: v.topic.trim(),
    // With a script, its paragraphs are the scenes (the server counts them) and it replaces the description.
    ...(opts.scriptMode
      ? { script: v.script }
      : { description: v.description.trim() || undefined, sceneCount: Number(v.sceneCount) }),
    aspectRatio: v.aspectRatio,
    resolution: v.resolution,
    review: v.review,
    // Explicit once known, so the idempotency key covers them; before that the server's defaults apply.
    ...(choice ?? {}),
  };
}

/** Which fields the form shows right now: an issue for any other is said in the form's message instead. */
export function fieldsOnPage(state: { scriptMode: boolean; capabilities: boolean; music: string | null }): (field: FieldName) => boolean {
  return (field) => {
    // The option fields and the language exist only once the capabilities have loaded.
    if (needsCapabilities(field) && !state.capabilities) return false;
    // A script takes the place of the description and the scene count.
    if (field === 'script') return state.scriptMode;
    if (field === 'description' || field === 'sceneCount') return !state.scriptMode;
    if (field === 'musicVolume') return state.music !== 'none';
    return true;
  };
}

/** The API's issues, each on its field when that field is on the page (several on one field are joined). */
export function placeIssues(
  issues: readonly { path: string; message: string }[],
  onPage: (field: FieldName) => boolean,
): { fieldErrors: FieldErrors; unplaced: string[] } {
  const fieldErrors: FieldErrors = {};
  const unplaced: string[] = [];
  for (const issue of issues) {
    const found = fieldForPath(issue.path);
    const field = found && onPage(found) ? found : null;
    if (!field) unplaced.push(issue.message);
    else if (!fieldErrors[field]) fieldErrors[field] = issue.message;
    else if (!fieldErrors[field].includes(issue.message)) fieldErrors[field] = `${fieldErrors[field]} ${issue.message}`;
  }
  return { fieldErrors, unplaced };
}

/**
 * Maps API issue paths ("topic", "body.sceneCount", "/aspectRatio", "0.provider", "script.2") onto form
 * fields: the last segment that names one, so an issue inside a field (a script's paragraph) lands on it.
 */
export function fieldForPath(path: string): FieldName | null {
  const segments = path.split(/[./]/).filter(Boolean);
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i]!;
    if ((fieldNames as readonly string[]).includes(s)) return s as FieldName;
    // Only an index may follow the field's name.
    if (!/^\d+$/.test(s)) return null;
  }
  return null;
}

/**
 * The form's message for a refused request: the lead message, unless it only repeats a field's issue
 * (e.g. provider_unavailable), then whatever could not be placed on a field.
 */
export function refusalMessage(lead: string, fieldErrors: FieldErrors, unplaced: readonly string[]): string {
  const placedLead = Object.values(fieldErrors).includes(lead);
  return [placedLead ? 'Check the highlighted fields.' : lead, ...unplaced.filter((m) => m !== lead)].join(' ');
}

/** How many characters the API counts in a topic: it trims the ends first. */
export function topicLength(topic: string): number {
  return topic.trim().length;
}

/** The topic's counter shows from this many characters on (80% of the limit). */
export const TOPIC_COUNTER_FROM = Math.floor(TOPIC_MAX * 0.8);

/** What is wrong with the topic's length as typed, or null: said at once, not only on submit. */
export function topicTooLong(topic: string): string | null {
  const len = topicLength(topic);
  return len > TOPIC_MAX
    ? `The topic is ${n(len)} characters; keep it to ${TOPIC_MAX} or fewer (${n(len - TOPIC_MAX)} too many).`
    : null;
}
