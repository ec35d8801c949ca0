// Request schemas, named by role. Unknown fields are rejected so typos never pass silently.
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { aspectRatios, resolutions } from '@/lib/media/dimensions';
import { musicBeds } from '@/lib/media/music-beds';
import { languages } from '@/lib/providers/languages';
import { motionNames, providerNames } from '@/lib/providers/types';
import { MAX_SEARCH_LENGTH, videoStatuses } from '@/lib/videos/types';
import { MAX_PARAGRAPH_CHARS, MAX_SCRIPT_CHARS, scriptParagraphs } from './script';

export { MAX_PARAGRAPH_CHARS, MAX_SCRIPT_CHARS, scriptParagraphs } from './script';

// Text PostgreSQL can store exactly as sent: no NUL bytes, and no lone UTF-16 surrogates (which
// would otherwise be silently replaced with U+FFFD instead of stored verbatim).
const storableText = (s: string) => !s.includes('\u0000') && s.isWellFormed();
const STORABLE = 'Text may not contain NUL characters or broken Unicode (lone surrogates).';

export const MAX_SCENES = 12;
export const DEFAULT_SCENES = 4;
/** A quiet bed by default: most people want some music, and nobody wants it over the voice. */
export const DEFAULT_MUSIC = 'calm' as const;
export const DEFAULT_MUSIC_VOLUME = 0.3;

/** The most a request's metadata may take as JSON (UTF-8 bytes): enough for a few ids and labels. */
export const MAX_METADATA_BYTES = 4096;

/** The caller's own strings, handed back unchanged in every webhook event and in the status. */
const metadata = z
  .record(z.string().refine(storableText, STORABLE), z.string().refine(storableText, STORABLE),
    { error: 'Metadata must be an object whose values are strings.' })
  .refine((m) => new TextEncoder().encode(JSON.stringify(m)).length <= MAX_METADATA_BYTES,
    `Metadata may be at most ${MAX_METADATA_BYTES.toLocaleString('en')} bytes as JSON.`);

const generateFields = z.strictObject({
  topic: z
    .string()
    .trim()
    .min(1, 'Topic is required.')
    .max(200, 'Topic must be at most 200 characters.')
    .refine(storableText, STORABLE),
  description: z.string().max(2000, 'Description must be at most 2,000 characters.').refine(storableText, STORABLE).optional(),
  /** With a script, the paragraph count decides it; a different explicit count is refused. */
  sceneCount: z.number().int().min(1).max(MAX_SCENES).optional(),
  aspectRatio: z.enum(aspectRatios).default('16:9'),
  resolution: z.enum(resolutions).default('720p'),
  /** Defaults come from VIDEO_PROVIDER / VIDEO_MOTION, so they are filled in by the route, not here. */
  provider: z.enum(providerNames).optional(),
  motion: z.enum(motionNames).optional(),
  /** Each provider has its own voices (lib/providers/types.ts); the route checks it and fills the default. */
  voice: z.string().max(40).optional(),
  /** BCP 47 primary tag of the narration's language. */
  language: z.enum(languages).default('en'),
  /** The person's own narration: paragraphs separated by a blank line become the scenes, verbatim. */
  script: z
    .string()
    .max(MAX_SCRIPT_CHARS, `The script must be at most ${MAX_SCRIPT_CHARS.toLocaleString('en')} characters.`)
    .refine(storableText, STORABLE)
    .optional(),
  music: z.enum(musicBeds).default(DEFAULT_MUSIC),
  /** The bed's level under the narration, 0 (silent) to 1. */
  musicVolume: z.number().min(0).max(1).default(DEFAULT_MUSIC_VOLUME),
  /** Stop after planning so the scenes can be read and edited before anything renders. */
  review: z.boolean().default(false),
  burnCaptions: z.boolean().default(false),
  metadata: metadata.optional(),
  /** Where to POST the signed outcome event; checked again against private addresses at delivery. */
  callbackUrl: z
    .string()
    .max(2048)
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'Only http and https callback URLs are allowed.')
    .optional(),
});

export const generateVideoRequestSchema = generateFields
  .superRefine((r, ctx) => {
    if (r.script === undefined) return;
    const paragraphs = scriptParagraphs(r.script);
    if (paragraphs.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['script'], message: 'The script is empty. Write at least one paragraph.' });
      return;
    }
    if (paragraphs.length > MAX_SCENES) {
      ctx.addIssue({ code: 'custom', path: ['script'],
        message: `The script has ${paragraphs.length} paragraphs; a video has at most ${MAX_SCENES} scenes. Join some paragraphs.` });
    }
    paragraphs.forEach((p, i) => {
      if (p.length > MAX_PARAGRAPH_CHARS) {
        ctx.addIssue({ code: 'custom', path: ['script', i],
          message: `Paragraph ${i + 1} has ${p.length} characters; a scene holds at most ${MAX_PARAGRAPH_CHARS} (about 40 seconds of speech). Split it with a blank line.` });
      }
    });
    if (r.sceneCount !== undefined && r.sceneCount !== paragraphs.length) {
      ctx.addIssue({ code: 'custom', path: ['sceneCount'],
        message: `The script has ${paragraphs.length} paragraphs, so the video has ${paragraphs.length} scenes; leave sceneCount out or set it to ${paragraphs.length}.` });
    }
  })
  .transform(({ sceneCount, script, ...r }) => {
    const paragraphs = script === undefined ? null : scriptParagraphs(script);
    return { ...r, ...(paragraphs ? { script: paragraphs.join('\n\n') } : {}), sceneCount: paragraphs?.length ?? sceneCount ?? DEFAULT_SCENES };
  });

/** A scene's picture, described: the planners write a sentence or two. */
export const MAX_VISUAL_PROMPT_CHARS = 1000;

/** One scene's narration as a person writes it: what a script paragraph may be. */
const sceneNarration = z
  .string()
  .trim()
  .min(1, 'Narration may not be empty.')
  .max(MAX_PARAGRAPH_CHARS, `Narration may be at most ${MAX_PARAGRAPH_CHARS} characters (about 40 seconds of speech).`)
  .refine(storableText, STORABLE);

const visualPrompt = z
  .string()
  .trim()
  .min(1, 'The visual prompt may not be empty.')
  .max(MAX_VISUAL_PROMPT_CHARS, `The visual prompt may be at most ${MAX_VISUAL_PROMPT_CHARS.toLocaleString('en')} characters.`)
  .refine(storableText, STORABLE);

/** PATCH /api/video/[id]/scenes: edits to some of a video's scenes while it awaits review. */
export const sceneEditsSchema = z
  .strictObject({
    scenes: z
      .array(z.strictObject({
        index: z.number().int().min(0).max(MAX_SCENES - 1),
        narration: sceneNarration.optional(),
        visualPrompt: visualPrompt.optional(),
      }))
      .min(1, 'Send at least one scene to change.')
      .max(MAX_SCENES, `A video has at most ${MAX_SCENES} scenes.`),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<number>();
    body.scenes.forEach((edit, i) => {
      if (seen.has(edit.index)) ctx.addIssue({ code: 'custom', path: ['scenes', i, 'index'], message: `Scene ${edit.index} is listed twice.` });
      seen.add(edit.index);
      if (edit.narration === undefined && edit.visualPrompt === undefined) {
        ctx.addIssue({ code: 'custom', path: ['scenes', i], message: 'Give a narration, a visual prompt, or both.' });
      }
    });
  });

export type SceneEdits = z.output<typeof sceneEditsSchema>;

/** POST /api/video/[id]/cancel takes an optional body: cancel only if the video is still in `ifStatus`. */
export const cancelBodySchema = z.strictObject({
  ifStatus: z.enum(videoStatuses).optional(),
});

export const MAX_BATCH = 10;

/** A batch of up to 10 requests, accepted all together or not at all. */
export const generateBatchSchema = z
  .array(generateVideoRequestSchema)
  .min(1, 'A batch needs at least one request.')
  .max(MAX_BATCH, `A batch holds at most ${MAX_BATCH} requests.`);

export type GenerateVideoRequest = z.output<typeof generateVideoRequestSchema>;

export const videoIdSchema = z.uuid();

/** A malformed id is answered like an unknown one: 404, revealing nothing. */
export function parseVideoId(raw: string): string {
  const r = videoIdSchema.safeParse(raw);
  if (!r.success) throw new AppError('not_found', 'No video with this id.');
  return r.data;
}

/** `status=completed` or a comma list, `status=queued,rendering`: each a video status, each once. */
const statusFilter = z
  .string()
  .transform((s) => [...new Set(s.split(',').map((x) => x.trim()))])
  .pipe(z.array(z.enum(videoStatuses, { error: `Each status must be one of: ${videoStatuses.join(', ')}.` })).min(1));

export const listVideosQuerySchema = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  /** A case-insensitive substring of the topic; blank means no search. */
  q: z
    .string()
    .trim()
    .max(MAX_SEARCH_LENGTH, `Search for at most ${MAX_SEARCH_LENGTH} characters.`)
    .refine(storableText, STORABLE)
    .transform((s) => s || undefined)
    .optional(),
  status: statusFilter.optional(),
});

export type ListVideosQuery = z.infer<typeof listVideosQuerySchema>;

// '#' is reserved: a batch's videos are stored under `<key>#00`, `<key>#01`…, so no client key may contain
// it, or a single request's key could name a batch member (and a batch's key match a single request's).
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21\x22\x24-\x7e]+$/, "Use printable ASCII without spaces or '#'.");
