// The OpenAPI 3.1 document of the public JSON API, generated from the zod schemas the routes parse
// requests with (lib/schemas/video.ts) and type their answers with (lib/schemas/responses.ts). Pure:
// no config, no database; built once per process and cached. Only GET /api/openapi.json imports it,
// so the generator library stays out of every other function's bundle.
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponseObject } from 'zod-openapi';
import { OWNER_COOKIE, SECURE_OWNER_COOKIE } from '@/lib/auth/owner';
import { type ErrorCode, errorStatus } from '@/lib/errors';
import * as r from '@/lib/schemas/responses';
import {
  cancelBodySchema, generateBatchSchema, generateVideoRequestSchema, idempotencyKeySchema, listVideosQuerySchema,
  MAX_BATCH, sceneEditsSchema, videoIdSchema,
} from '@/lib/schemas/video';

export const OPENAPI_VERSION = '3.1.0';

// ---- Headers -------------------------------------------------------------------------------------

const cacheControl = z.string().meta({ description: 'How long, and for whom, the answer may be kept.' });
const rateLimitHeaders = {
  'RateLimit-Policy': z.string().optional().meta({ description: 'The quota and its window (draft-ietf-httpapi-ratelimit-headers), e.g. `"generate";q=10;w=60`.' }),
  RateLimit: z.string().optional().meta({ description: 'What is left of the quota and the seconds until its window ends, e.g. `"generate";r=9;t=42`.' }),
};

// ---- Responses -----------------------------------------------------------------------------------

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

/** Which error codes answer with each status, from the one table in lib/errors.ts. */
function codesFor(status: number): ErrorCode[] {
  return (Object.keys(errorStatus) as ErrorCode[]).filter((c) => errorStatus[c] === status);
}

const errorDescriptions: Record<number, string> = {
  400: 'The request is malformed (bad JSON, a bad header).',
  401: 'The API token is unknown or revoked (or, on cron routes, the bearer is not CRON_SECRET).',
  402: 'Not enough credits for this video.',
  403: 'Refused: a cross-site browser request, or an expired or invalid signed link.',
  404: 'No such video (or file) for this caller.',
  409: 'The video is not in a state that allows this, or the idempotency key names deleted videos.',
  413: 'The body is larger than 64 KB.',
  415: 'The body is not sent as application/json.',
  416: 'The Range lies outside the file.',
  422: 'The body or query failed validation (see `issues`), or a provider is not available on this server.',
  429: 'Too many requests, or too many videos still being made. Come back after Retry-After seconds.',
  500: 'A bug on our side; the message is generic and the details are logged.',
  503: 'The server is not configured for this route (e.g. CRON_SECRET unset).',
};

function errorResponse(status: number): ZodOpenApiResponseObject {
  const codes = codesFor(status);
  const described = `${errorDescriptions[status] ?? 'Refused.'} Codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`;
  if (status === 429) {
    return {
      description: described,
      headers: z.object({
        'Retry-After': z.string().regex(/^\d+$/).meta({ description: 'Seconds to wait before trying again.' }),
        ...rateLimitHeaders,
      }),
      ...json(r.errorResponseSchema),
    };
  }
  return { description: described, ...json(r.errorResponseSchema) };
}

function errors(...statuses: number[]): Record<string, ZodOpenApiResponseObject> {
  return Object.fromEntries(statuses.map((s) => [String(s), errorResponse(s)]));
}

/** Every owner route can be refused by its caller check, and can fail. */
const OWNER_ERRORS = [401, 403, 500];
/** Routes that read a JSON body. */
const BODY_ERRORS = [400, 413, 415, 422];
/** Routes under /api/video/{id}. */
const VIDEO_ERRORS = [404, 409];

const noStore = z.object({ 'Cache-Control': cacheControl });

function ok(description: string, schema: z.ZodType, status = '200', headers: z.ZodObject = noStore): Record<string, ZodOpenApiResponseObject> {
  return { [status]: { description, headers, ...json(schema) } };
}

// ---- Parameters ----------------------------------------------------------------------------------

const videoIdPath = z.object({ id: videoIdSchema.meta({ description: 'The video id (a malformed one is answered 404).' }) });
const idempotencyHeader = z.object({
  'Idempotency-Key': idempotencyKeySchema.optional().meta({
    description: "Makes a retried request safe: the same key and body answer the same videos (header Idempotent-Replayed: true) instead of making new ones. A different body with the same key is refused (422 idempotency_key_reused).",
  }),
});

const generateBody = z
  .union([generateVideoRequestSchema, generateBatchSchema])
  .meta({ description: `One request, or an array of 1 to ${MAX_BATCH} requests accepted all together or not at all.` });

// ---- Security ------------------------------------------------------------------------------------

const OWNER_SECURITY: Array<Record<string, string[]>> = [{ apiToken: [] }, { ownerCookie: [] }];
const CRON_SECURITY: Array<Record<string, string[]>> = [{ cronSecret: [] }];

const ownerOp = (op: ZodOpenApiOperationObject): ZodOpenApiOperationObject => ({ security: OWNER_SECURITY, ...op });

// ---- The document --------------------------------------------------------------------------------

function build() {
  return createDocument({
    openapi: OPENAPI_VERSION,
    info: {
      title: 'Cueframe API',
      version: '1.0.0',
      description: [
        'Narrated videos, generated asynchronously on a queue: POST /api/video/generate answers 202 at once, then poll',
        'GET /api/video/status/{id} (it supports ETag / If-None-Match) or pass a callbackUrl to get a signed webhook.',
        '',
        'Every request acts as one owner and sees only that owner\'s videos: an API token (`Authorization: Bearer cf_…`,',
        'made with `npm run token:create`) names it, or else the signed owner cookie a browser is given on its first visit.',
        'Every refusal is JSON, `{ "error": { "code", "message", "issues?" } }`.',
        '',
        'Left out of this document on purpose: the admin area (/api/admin/*), /api/metrics and /api/cleanup, which are',
        'operator tools rather than part of the integration API.',
      ].join('\n'),
    },
    components: {
      securitySchemes: {
        apiToken: { type: 'http', scheme: 'bearer', bearerFormat: 'cf_…', description: 'An API token (`npm run token:create`); it names the owner.' },
        ownerCookie: {
          type: 'apiKey', in: 'cookie', name: OWNER_COOKIE,
          description: `The signed owner cookie browsers get on their first visit (\`${SECURE_OWNER_COOKIE}\` over HTTPS). Cross-site requests that rely on it are refused.`,
        },
        cronSecret: { type: 'http', scheme: 'bearer', description: 'The server\'s CRON_SECRET, for the queue routes Vercel Cron calls.' },
      },
    },
    tags: [
      { name: 'Videos', description: 'Make, follow and manage videos.' },
      { name: 'Account', description: 'The caller: credits and webhook signing secret.' },
      { name: 'Server', description: 'What this server offers, and its health.' },
      { name: 'Queue', description: 'The worker trigger (cron).' },
      { name: 'Files', description: 'Locally stored media (signed URLs).' },
    ],
    paths: {
      '/api/video/generate': {
        post: ownerOp({
          operationId: 'generateVideo',
          tags: ['Videos'],
          summary: 'Queue one video or a batch; answers 202 at once',
          requestParams: { header: idempotencyHeader },
          requestBody: { required: true, ...json(generateBody) },
          responses: {
            '202': {
              description: 'Accepted: one video (with Location) or, for a batch, `{ videos }` in request order.',
              headers: z.object({
                'Cache-Control': cacheControl,
                Location: z.string().optional().meta({ description: 'The status URL of the video (single requests only).' }),
                'Idempotent-Replayed': z.literal('true').optional().meta({ description: 'Present when this answers an earlier request with the same Idempotency-Key.' }),
                ...rateLimitHeaders,
              }),
              ...json(z.union([r.generateAcceptedSchema, r.generateBatchAcceptedSchema])),
            },
            ...errors(...BODY_ERRORS, ...OWNER_ERRORS, 402, 409, 429),
          },
        }),
      },
      '/api/video/estimate': {
        post: ownerOp({
          operationId: 'estimateVideo',
          tags: ['Videos'],
          summary: 'What a generate request (or batch) would cost and how long it would take',
          requestBody: { required: true, ...json(generateBody) },
          responses: {
            ...ok('The estimate.', r.estimateResultSchema, '200', z.object({ 'Cache-Control': cacheControl, ...rateLimitHeaders })),
            ...errors(...BODY_ERRORS, ...OWNER_ERRORS, 429),
          },
        }),
      },
      '/api/video/status/{id}': {
        get: ownerOp({
          operationId: 'getVideoStatus',
          tags: ['Videos'],
          summary: 'The polling route: progress, scenes, URLs, error and time left',
          requestParams: {
            path: videoIdPath,
            header: z.object({ 'If-None-Match': z.string().optional().meta({ description: 'The ETag of the answer you hold; unchanged → 304.' }) }),
          },
          responses: {
            '200': {
              description: 'The video. Signed URLs expire; poll again for fresh ones.',
              headers: z.object({ ETag: z.string(), 'Cache-Control': cacheControl }),
              ...json(r.videoViewSchema),
            },
            '304': {
              description: 'Unchanged since the ETag sent in If-None-Match.',
              headers: z.object({ ETag: z.string(), 'Cache-Control': cacheControl }),
            },
            ...errors(...OWNER_ERRORS, 404),
          },
        }),
      },
      '/api/videos': {
        get: ownerOp({
          operationId: 'listVideos',
          tags: ['Videos'],
          summary: "The caller's videos, newest first, with cursor pagination, a topic search and a status filter",
          requestParams: { query: listVideosQuerySchema },
          responses: {
            ...ok('One page of videos.', r.videoPageSchema),
            ...errors(...OWNER_ERRORS, 400, 422),
          },
        }),
      },
      '/api/video/{id}': {
        delete: ownerOp({
          operationId: 'deleteVideo',
          tags: ['Videos'],
          summary: 'Deletes a finished video (its files are removed after the answer)',
          requestParams: { path: videoIdPath },
          responses: {
            '204': { description: 'Deleted.', headers: noStore },
            ...errors(...OWNER_ERRORS, ...VIDEO_ERRORS),
          },
        }),
      },
      '/api/video/{id}/approve': {
        post: ownerOp({
          operationId: 'approveVideo',
          tags: ['Videos'],
          summary: 'Approves the scenes of a video awaiting review; it goes on to render',
          requestParams: { path: videoIdPath },
          responses: {
            ...ok('Approved: the video renders now.', r.approvedSchema, '202'),
            ...errors(...OWNER_ERRORS, ...VIDEO_ERRORS),
          },
        }),
      },
      '/api/video/{id}/cancel': {
        post: ownerOp({
          operationId: 'cancelVideo',
          tags: ['Videos'],
          summary: 'Stops a queued, running or awaiting video',
          description: 'The body is optional; without one (and without Content-Type) the cancel is unconditional.',
          requestParams: { path: videoIdPath },
          requestBody: { required: false, ...json(cancelBodySchema) },
          responses: {
            ...ok('Cancelled.', r.cancelledSchema),
            ...errors(...BODY_ERRORS, ...OWNER_ERRORS, ...VIDEO_ERRORS),
          },
        }),
      },
      '/api/video/{id}/retry': {
        post: ownerOp({
          operationId: 'retryVideo',
          tags: ['Videos'],
          summary: 'Re-queues only the failed or cancelled steps of a video and resumes it',
          requestParams: { path: videoIdPath },
          responses: {
            ...ok('Resumed.', r.retriedSchema, '202'),
            ...errors(...OWNER_ERRORS, ...VIDEO_ERRORS),
          },
        }),
      },
      '/api/video/{id}/scenes': {
        patch: ownerOp({
          operationId: 'editScenes',
          tags: ['Videos'],
          summary: 'Edits the narration and visual prompts of a video awaiting review',
          requestParams: { path: videoIdPath },
          requestBody: { required: true, ...json(sceneEditsSchema) },
          responses: {
            ...ok('Every scene as it now stands.', r.editedScenesSchema),
            ...errors(...BODY_ERRORS, ...OWNER_ERRORS, ...VIDEO_ERRORS),
          },
        }),
      },
      '/api/video/{id}/share': {
        get: ownerOp({
          operationId: 'getShareLink',
          tags: ['Videos'],
          summary: "The video's public link, if it has one",
          requestParams: { path: videoIdPath },
          responses: { ...ok('The link, or null.', r.shareLinkSchema), ...errors(...OWNER_ERRORS, 404) },
        }),
        post: ownerOp({
          operationId: 'createShareLink',
          tags: ['Videos'],
          summary: 'Makes a public link to a finished video (idempotent)',
          requestParams: { path: videoIdPath },
          responses: {
            ...ok('The link already existed.', r.shareLinkSchema),
            ...ok('The link was made.', r.shareLinkSchema, '201'),
            ...errors(...OWNER_ERRORS, ...VIDEO_ERRORS),
          },
        }),
        delete: ownerOp({
          operationId: 'revokeShareLink',
          tags: ['Videos'],
          summary: 'Revokes the public link',
          requestParams: { path: videoIdPath },
          responses: { '204': { description: 'Revoked (or there was none).', headers: noStore }, ...errors(...OWNER_ERRORS, 404) },
        }),
      },
      '/api/me': {
        get: ownerOp({
          operationId: 'getMe',
          tags: ['Account'],
          summary: "The caller's credit balance, tier, recent credit movements and webhook signing secret",
          responses: { ...ok('The caller.', r.meSchema), ...errors(...OWNER_ERRORS) },
        }),
      },
      '/api/me/webhook-secret/rotate': {
        post: ownerOp({
          operationId: 'rotateWebhookSecret',
          tags: ['Account'],
          summary: 'Replaces the webhook signing secret; the old one keeps signing for a grace period',
          responses: { ...ok('The new secret.', r.webhookSecretViewSchema), ...errors(...OWNER_ERRORS, 404) },
        }),
      },
      '/api/capabilities': {
        get: ownerOp({
          operationId: 'getCapabilities',
          tags: ['Server'],
          summary: 'Which providers, motion engines, voices, languages and music this server offers',
          responses: {
            ...ok('What this server offers, and its defaults.', r.capabilitiesSchema),
            ...errors(...OWNER_ERRORS),
          },
        }),
      },
      '/api/health': {
        get: {
          operationId: 'getHealth',
          tags: ['Server'],
          summary: 'Liveness; no database',
          security: [],
          responses: ok('Alive.', r.healthSchema),
        },
        post: {
          operationId: 'postHealth',
          tags: ['Server'],
          summary: 'The same answer after reading a JSON body (nothing is stored)',
          security: [],
          requestBody: { required: true, ...json(z.unknown()) },
          responses: { ...ok('Alive.', r.healthSchema), ...errors(400, 413, 415) },
        },
      },
      '/api/video/process-queue': {
        get: {
          operationId: 'processQueueCron',
          tags: ['Queue'],
          summary: 'What Vercel Cron calls: claim and run one task within the time budget',
          security: CRON_SECURITY,
          responses: { ...ok('What this invocation did.', r.invocationResultSchema), ...errors(401, 500, 503) },
        },
        post: {
          operationId: 'processQueue',
          tags: ['Queue'],
          summary: 'The manual trigger (and the target of kicks): the same, on demand',
          security: CRON_SECURITY,
          requestParams: {
            header: z.object({ 'X-Cueframe-Trigger': z.enum(['kick']).optional().meta({ description: 'Sent by the server\'s own kicks.' }) }),
          },
          responses: { ...ok('What this invocation did.', r.invocationResultSchema), ...errors(401, 500, 503) },
        },
      },
      '/api/files/{key}': {
        get: {
          operationId: 'getFile',
          tags: ['Files'],
          summary: 'A locally stored object (video, poster, captions); private ones need the signed URL the API handed out',
          description: 'The key may contain slashes (it is every path segment after /api/files/). Supports Range. Only servers that store files on their own disk answer; others hand out their store\'s URLs.',
          security: [],
          requestParams: {
            path: z.object({ key: z.string().meta({ description: 'The object key; may contain slashes.' }) }),
            query: z.object({
              exp: z.string().optional().meta({ description: 'Signed URLs: when the link expires (Unix seconds).' }),
              sig: z.string().optional().meta({ description: 'Signed URLs: the signature.' }),
              dl: z.literal('1').optional().meta({ description: 'Answer as an attachment (download).' }),
            }),
            header: z.object({ Range: z.string().optional().meta({ description: 'One byte range, e.g. bytes=0-1023.' }) }),
          },
          responses: {
            '200': {
              description: 'The whole file.',
              headers: z.object({ 'Content-Type': z.string(), 'Content-Length': z.string(), 'Accept-Ranges': z.literal('bytes'), 'Cache-Control': cacheControl }),
              content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary', contentMediaType: 'application/octet-stream' }) } },
            },
            '206': {
              description: 'The requested range.',
              headers: z.object({ 'Content-Type': z.string(), 'Content-Range': z.string(), 'Content-Length': z.string(), 'Cache-Control': cacheControl }),
              content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary', contentMediaType: 'application/octet-stream' }) } },
            },
            ...errors(403, 404, 405, 416, 500),
          },
        },
      },
      '/api/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          tags: ['Server'],
          summary: 'This document',
          security: [],
          responses: {
            '200': {
              description: 'The OpenAPI 3.1 document.',
              headers: noStore.partial(),
              content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
            },
          },
        },
      },
    },
  });
}

export type OpenApiDocument = ReturnType<typeof build>;

let cached: OpenApiDocument | undefined;

/** The document, built on first use and then shared: it depends on nothing but the schemas. */
export function openApiDocument(): OpenApiDocument {
  cached ??= build();
  return cached;
}
