// Response schemas, named by role: what each JSON route answers with. The routes type their bodies with
// these (`satisfies`), the OpenAPI document (lib/openapi/document.ts) is generated from them, and the
// contract test checks every answer the API tests see against that document, so the three cannot drift.
// They are never used to parse at run time: the routes build their bodies from typed lib results.
import { z } from 'zod';
import { errorStatus, type ErrorCode } from '@/lib/errors';
import { aspectRatios, resolutions } from '@/lib/media/dimensions';
import { musicBeds } from '@/lib/media/music-beds';
import { languages } from '@/lib/providers/languages';
import { motionNames, providerNames } from '@/lib/providers/types';
import { sceneStatuses, videoStatuses } from '@/lib/videos/types';

const isoTime = z.iso.datetime({ offset: true });
const videoStatus = z.enum(videoStatuses).meta({ id: 'VideoStatus' });
const url = z.string().meta({ description: 'An absolute URL, or a path on this server.' });

// ---- Errors --------------------------------------------------------------------------------------

const errorCodes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

export const fieldIssueSchema = z.object({
  path: z.string().meta({ description: "The field, dotted (e.g. 'scenes.0.narration'); '(body)' for the whole body." }),
  message: z.string(),
});

/** Every refusal, whatever the route: the code (one of lib/errors.ts's table) decides the status. */
export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string().meta({ description: 'A sentence a person can read.' }),
      issues: z.array(fieldIssueSchema).optional().meta({ description: 'Per-field problems, on validation_failed.' }),
    }),
  })
  .meta({ id: 'Error' });

// ---- Videos --------------------------------------------------------------------------------------

export const generateAcceptedSchema = z
  .object({
    id: z.uuid(),
    status: videoStatus.meta({ description: "'queued' when created; a replayed request answers the video's current status." }),
    statusUrl: z.string().meta({ description: 'Where to poll: /api/video/status/{id}.' }),
    costCredits: z.int().meta({ description: 'Credits reserved for this video.' }),
  })
  .meta({ id: 'GenerateAccepted' });

export const generateBatchAcceptedSchema = z
  .object({ videos: z.array(generateAcceptedSchema) })
  .meta({ id: 'GenerateBatchAccepted' });

export const usageViewSchema = z
  .object({
    llmTokens: z.number(),
    images: z.number(),
    ttsCharacters: z.number(),
    runwaySeconds: z.number(),
    renderSeconds: z.number(),
    costUsd: z.number().meta({ description: 'Estimated from the price table.' }),
  })
  .meta({ id: 'Usage' });

export const sceneViewSchema = z
  .object({
    index: z.int(),
    narration: z.string(),
    visualPrompt: z.string(),
    durationMs: z.number().nullable(),
    status: z.enum(sceneStatuses),
    clipUrl: url.nullable(),
    posterUrl: url.nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'Scene' });

export const videoViewSchema = z
  .object({
    id: z.uuid(),
    topic: z.string(),
    description: z.string().nullable(),
    provider: z.string(),
    motion: z.string(),
    voice: z.string(),
    language: z.string(),
    music: z.string(),
    musicVolume: z.number(),
    burnCaptions: z.boolean(),
    costCredits: z.int(),
    usage: usageViewSchema,
    status: videoStatus,
    progress: z.number().min(0).max(100),
    stepLabel: z.string(),
    currentScene: z.int().nullable(),
    sceneCount: z.int(),
    aspectRatio: z.enum(aspectRatios),
    resolution: z.enum(resolutions),
    width: z.int(),
    height: z.int(),
    durationMs: z.number().nullable(),
    videoUrl: url.nullable(),
    downloadUrl: url.nullable(),
    posterUrl: url.nullable(),
    captionsUrl: url.nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    createdAt: isoTime,
    startedAt: isoTime.nullable(),
    completedAt: isoTime.nullable(),
    updatedAt: isoTime,
    review: z.boolean(),
    awaitingReviewSince: isoTime.nullable(),
    metadata: z.record(z.string(), z.string()),
    scenes: z.array(sceneViewSchema),
    etaMs: z.number().nullable().optional().meta({ description: 'Estimated time left; null when finished or unknown.' }),
  })
  .meta({ id: 'Video' });

export const videoSummarySchema = z
  .object({
    id: z.uuid(),
    topic: z.string(),
    status: videoStatus,
    progress: z.number(),
    stepLabel: z.string(),
    aspectRatio: z.enum(aspectRatios),
    posterUrl: url.nullable(),
    createdAt: isoTime,
  })
  .meta({ id: 'VideoSummary' });

export const videoPageSchema = z
  .object({
    videos: z.array(videoSummarySchema),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .meta({ id: 'VideoPage' });

export const controlResultSchema = z.object({ id: z.uuid(), status: videoStatus });

export const approvedSchema = controlResultSchema.extend({ statusUrl: z.string() }).meta({ id: 'Approved' });

export const cancelledSchema = controlResultSchema
  .extend({ stoppedTasks: z.int().meta({ description: 'Queued or running tasks it stopped.' }) })
  .meta({ id: 'Cancelled' });

export const retriedSchema = controlResultSchema
  .extend({
    statusUrl: z.string(),
    requeued: z.array(z.object({ kind: z.string(), sceneIndex: z.int().nullable() })),
  })
  .meta({ id: 'Retried' });

export const editedScenesSchema = z
  .object({
    id: z.uuid(),
    scenes: z.array(z.object({ index: z.int(), narration: z.string(), visualPrompt: z.string(), durationMs: z.number().nullable() })),
  })
  .meta({ id: 'EditedScenes' });

export const shareLinkSchema = z
  .object({ url: z.string().nullable().meta({ description: 'The public link; null when the video has none.' }) })
  .meta({ id: 'ShareLink' });

export const estimateSchema = z.object({ credits: z.int(), estimatedSeconds: z.number() });

export const estimateResultSchema = estimateSchema
  .extend({
    estimatedSeconds: z.number().meta({ description: 'The longest item: a batch runs side by side.' }),
    items: z.array(estimateSchema).meta({ description: "Each request's own estimate, in order." }),
  })
  .meta({ id: 'Estimate' });

// ---- The caller ----------------------------------------------------------------------------------

export const webhookSecretViewSchema = z
  .object({
    secret: z.string().meta({ description: 'Verifies the Standard Webhooks signature of each event sent to callbackUrl.' }),
    previousSecretSignsUntil: isoTime.nullable().meta({ description: 'Until when the rotated-out secret still signs too.' }),
  })
  .meta({ id: 'WebhookSecret' });

export const meSchema = z
  .object({
    balance: z.int(),
    tier: z.enum(['standard', 'premium']),
    ledger: z.array(z.object({
      kind: z.string(), amount: z.int(), balanceAfter: z.int(), videoId: z.uuid().nullable(), at: isoTime,
    })),
    webhooks: webhookSecretViewSchema.nullable().meta({ description: 'Null until the first video is generated.' }),
  })
  .meta({ id: 'Me' });

// ---- The server ----------------------------------------------------------------------------------

const optionCapability = <T extends readonly [string, ...string[]]>(names: T) => z.object({
  name: z.enum(names),
  available: z.boolean(),
  reason: z.string().nullable(),
  code: z.enum(['openai_not_configured', 'runway_not_configured']).nullable(),
});

export const capabilitiesSchema = z
  .object({
    providers: z.array(optionCapability(providerNames)),
    motions: z.array(optionCapability(motionNames)),
    voices: z.object({ local: z.array(z.string()), openai: z.array(z.string()) }),
    languages: z.array(z.object({
      code: z.enum(languages),
      name: z.string(),
      providers: z.array(z.enum(providerNames)),
      plannedBy: z.array(z.enum(providerNames)),
    })),
    music: z.array(z.enum(musicBeds)),
    defaults: z.object({
      provider: z.enum(providerNames),
      motion: z.enum(motionNames),
      voice: z.string(),
      language: z.enum(languages),
      music: z.enum(musicBeds),
      musicVolume: z.number(),
    }),
  })
  .meta({ id: 'Capabilities' });

export const healthSchema = z.object({ ok: z.literal(true) }).meta({ id: 'Health' });

export const invocationResultSchema = z
  .object({
    invocationId: z.string(),
    processed: z.object({
      taskId: z.string(),
      videoId: z.uuid(),
      step: z.string(),
      sceneIndex: z.int().nullable(),
      attempt: z.int(),
      outcome: z.enum(['completed', 'waiting', 'retrying', 'released', 'dead', 'lease_lost', 'cancelled']),
      ms: z.number(),
    }).nullable(),
    kicked: z.int(),
  })
  .meta({ id: 'Invocation' });

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/**
 * What a route may answer for a schema, for `satisfies` in the route: the schema's output type, read-only
 * throughout so lib results built from `as const` tables fit too (JSON does not care).
 */
export type Body<S extends z.ZodType> = DeepReadonly<z.output<S>>;
