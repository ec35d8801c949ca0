// Request schemas, named by role. Unknown fields are rejected so typos never pass silently.
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { aspectRatios, resolutions } from '@/lib/media/dimensions';
import { motionNames, providerNames, voices } from '@/lib/providers/types';
import { MAX_SEARCH_LENGTH, videoStatuses } from '@/lib/videos/types';

// Text PostgreSQL can store exactly as sent: no NUL bytes, and no lone UTF-16 surrogates (which
// would otherwise be silently replaced with U+FFFD instead of stored verbatim).
const storableText = (s: string) => !s.includes('\u0000') && s.isWellFormed();
const STORABLE = 'Text may not contain NUL characters or broken Unicode (lone surrogates).';

export const generateVideoRequestSchema = z.strictObject({
  topic: z
    .string()
    .trim()
    .min(1, 'Topic is required.')
    .max(200, 'Topic must be at most 200 characters.')
    .refine(storableText, STORABLE),
  description: z.string().max(2000, 'Description must be at most 2,000 characters.').refine(storableText, STORABLE).optional(),
  sceneCount: z.number().int().min(1).max(12).default(4),
  aspectRatio: z.enum(aspectRatios).default('16:9'),
  resolution: z.enum(resolutions).default('720p'),
  /** Defaults come from VIDEO_PROVIDER / VIDEO_MOTION, so they are filled in by the route, not here. */
  provider: z.enum(providerNames).optional(),
  motion: z.enum(motionNames).optional(),
  voice: z.enum(voices).default('alloy'),
  burnCaptions: z.boolean().default(false),
  /** Where to POST the signed outcome event; checked again against private addresses at delivery. */
  callbackUrl: z
    .string()
    .max(2048)
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'Only http and https callback URLs are allowed.')
    .optional(),
});

export const MAX_BATCH = 10;

/** A batch of up to 10 requests, accepted all together or not at all. */
export const generateBatchSchema = z
  .array(generateVideoRequestSchema)
  .min(1, 'A batch needs at least one request.')
  .max(MAX_BATCH, `A batch holds at most ${MAX_BATCH} requests.`);

export type GenerateVideoRequest = z.infer<typeof generateVideoRequestSchema>;

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
