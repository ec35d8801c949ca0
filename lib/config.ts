// Every environment variable the app reads, with the embedded defaults that make
// `npm run dev` work with no configuration at all.
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { Retention } from '@/lib/cleanup/types';
import { parseAllowedOrigins } from '@/lib/http/allowed-origins';
import { logLevels, type LogLevel } from '@/lib/log';
import { motionNames, providerNames, type MotionName, type ProviderName } from '@/lib/providers/types';

// Vercel Blob signs links for at most 7 days, and lib/videos/urls.ts rounds each expiry up by less
// than 5 minutes; above this a status poll could not sign its URLs.
const MAX_SIGNED_URL_TTL_SECONDS = 7 * 24 * 3600 - 300;

/** Bearer secrets shorter than this are refused: logged at start, and the routes they guard stay closed. */
export const MIN_SECRET_LENGTH = 16;

const int = (def: number) => z.coerce.number().int().positive().default(def);
const flag = z
  .enum(['0', '1', 'true', 'false', 'on', 'off'])
  .optional()
  .transform((v) => (v === undefined ? undefined : ['1', 'true', 'on'].includes(v)));

const envSchema = z.object({
  DATABASE_URL: z.string().optional(),
  POSTGRES_URL: z.string().optional(),
  DATA_DIR: z.string().default('.data'),
  NODE_ENV: z.string().optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  CRON_SECRET: z.string().optional(),
  ADMIN_TOKEN: z.string().optional(),
  METRICS_TOKEN: z.string().optional(),
  SIGNING_SECRET: z.string().min(16).optional(),
  APP_URL: z.string().url().optional(),
  VERCEL: z.string().optional(),
  VERCEL_URL: z.string().optional(),
  SCHEDULER: flag,
  SCHEDULER_POLL_MS: int(2_000),
  QUEUE_CONCURRENCY: int(2),
  LEASE_MS: int(60_000),
  HEARTBEAT_MS: int(15_000),
  PROCESS_BUDGET_MS: int(240_000),
  MAX_ATTEMPTS: z.coerce.number().int().positive().optional(),
  STARTING_CREDITS: z.coerce.number().int().min(0).default(100),
  MAX_ACTIVE_VIDEOS: z.coerce.number().int().min(0).default(5),
  ANON_GRANTS_PER_IP_PER_DAY: z.coerce.number().int().min(0).default(3),
  RATE_LIMIT_GENERATE_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  RATE_LIMIT_ESTIMATE_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  RATE_LIMIT_ADMIN_LOGIN_PER_15_MINUTES: z.coerce.number().int().min(0).default(10),
  TRUST_PROXY: z.coerce.number().int().min(0).max(32).default(0),
  WEBHOOK_ALLOW_PRIVATE: flag,
  WEBHOOK_SECRET: z.string().min(16).optional(),
  WEBHOOK_ROTATION_GRACE_SECONDS: z.coerce.number().int().min(0).default(24 * 60 * 60),
  QUEUE_MAX_RUNNING: z.coerce.number().int().min(0).default(16),
  OWNER_MAX_RUNNING: z.coerce.number().int().min(0).default(4),
  BACKOFF_BASE_MS: int(2_000),
  BACKOFF_CAP_MS: int(300_000),
  SIGNED_URL_TTL_SECONDS: z.coerce.number().int().positive()
    .max(MAX_SIGNED_URL_TTL_SECONDS, `must be at most ${MAX_SIGNED_URL_TTL_SECONDS}: Vercel Blob's 7-day limit, less the 5 minutes an expiry may be rounded up by`)
    .default(3_600),
  VIDEO_PROVIDER: z.enum(providerNames).default('local'),
  VIDEO_MOTION: z.enum(motionNames).default('kenburns'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_PLAN_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_TTS_MODEL: z.string().default('gpt-4o-mini-tts'),
  OPENAI_IMAGE_QUALITY: z.enum(['low', 'medium', 'high']).default('medium'),
  RUNWAYML_API_SECRET: z.string().optional(),
  RUNWAY_API_KEY: z.string().optional(),
  RUNWAY_BASE_URL: z.string().url().optional(),
  BLOB_READ_WRITE_TOKEN: z.string().optional(),
  VERCEL_AUTOMATION_BYPASS_SECRET: z.string().optional(),
  CUEFRAME_FAULTS: z.string().optional(),
  INSTANCE_ID: z.string().regex(/^[\w.-]{1,64}$/).optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  FFMPEG_PATH: z.string().optional(),
  PATH: z.string().optional(),
  CLEANUP_INTERMEDIATES_DAYS: z.string().optional(),
  CLEANUP_TEMP_HOURS: z.string().optional(),
  REVIEW_TTL_HOURS: z.string().optional(),
  PG_PREPARED_STATEMENTS: flag,
});

export interface Config {
  databaseUrl?: string;
  postgresUrl?: string;
  dataDir: string;
  cronSecret?: string;
  /**
   * Whether the queue trigger and cleanup answer without CRON_SECRET: only under `next dev` (and tests).
   * `next start` is production, where an unset secret closes them as on Vercel.
   */
  cronOpenWithoutSecret: boolean;
  /** Secrets that were set but are too short to use (names only); their routes stay closed. */
  refusedSecrets: string[];
  /** Guards /admin and /api/admin; unset turns the admin area off (404). */
  adminToken?: string;
  /** Guards /api/metrics; falls back to adminToken. */
  metricsToken?: string;
  signingSecret?: string;
  appUrl?: string;
  onVercel: boolean;
  /** A proxy we trust sets X-Forwarded-* (always so on Vercel; elsewhere TRUST_PROXY of 1 or more). */
  trustForwarded: boolean;
  /** Lower-case origins, besides the app's own, allowed to send cookie-authenticated writes. */
  allowedOrigins: string[];
  /** The in-process scheduler: on by default everywhere but Vercel, where cron and kicks do the work. */
  scheduler: boolean;
  schedulerPollMs: number;
  concurrency: number;
  leaseMs: number;
  heartbeatMs: number;
  processBudgetMs: number;
  /** Per task kind: attempts before the task is dead, and how long a run is expected to take. */
  /**
   * What the environment says of the task kinds' policies. The kinds and their defaults are the
   * workflow's (lib/pipeline/workflow.ts, configuredPolicies), so none is named here: MAX_ATTEMPTS for
   * the steps that make a video, and MAX_ATTEMPTS_<KIND> / ESTIMATE_MS_<KIND> for any declared kind.
   */
  taskPolicies: TaskPolicySettings;
  /** Credits a new anonymous owner starts with. */
  startingCredits: number;
  /** Per-owner cap on videos in progress; 0 turns it off. */
  maxActiveVideos: number;
  /**
   * Per client address (an IPv4 address or an IPv6 /64, lib/limits/client.ts); each 0 turns its limit off.
   * anonGrantsPerDay: new anonymous owners per UTC day that get startingCredits (the rest start at 0).
   * The others are requests per window, counted in Postgres so that every instance shares them.
   */
  limits: { anonGrantsPerDay: number; generatePerMinute: number; estimatePerMinute: number; adminLoginPer15Minutes: number };
  /**
   * Off Vercel: how many proxies in front of the app append to X-Forwarded-For. The client is the
   * entry that many places from the right (1 = the address the nearest proxy saw). 0 ignores the header.
   */
  trustProxy: number;
  /** Lets webhooks reach loopback and private addresses: local testing only. */
  webhookAllowPrivate: boolean;
  /**
   * Signs only the deprecated `cueframe-signature` header, the same for every owner. Derived from the
   * signing secret when unset. Standard Webhooks signatures use each owner's own secret (lib/webhooks/secrets.ts).
   */
  webhookSecret?: string;
  /** How long an owner's rotated-out webhook secret keeps signing alongside the new one. */
  webhookRotationGraceMs: number;
  /** Running tasks allowed at once across all invocations and processes; 0 turns the cap off. */
  maxRunning: number;
  /** Running tasks allowed at once for one owner; 0 turns the cap off. */
  ownerMaxRunning: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  signedUrlTtlSeconds: number;
  provider: ProviderName;
  motion: MotionName;
  openai: { apiKey?: string; baseUrl?: string; planModel: string; ttsModel: string; imageQuality: 'low' | 'medium' | 'high' };
  runway: { apiKey?: string; baseUrl?: string };
  /** Set on Vercel with a Blob store attached: files go to Vercel Blob instead of DATA_DIR. */
  blobToken?: string;
  /** Lets kicks reach a deployment behind Vercel's Deployment Protection. */
  protectionBypass?: string;
  /** Lowest level logged; createApp hands it to lib/log (setLogLevel). */
  logLevel: LogLevel;
  /** Where ffmpeg is looked for (lib/media/binaries.ts): FFMPEG_PATH is trusted as is; PATH is searched last. */
  binaries: { ffmpegPath?: string; pathDirs: string[] };
  /**
   * How long cleanup keeps intermediates and temp dirs (CLEANUP_INTERMEDIATES_DAYS, default 7;
   * CLEANUP_TEMP_HOURS, default 6), and how long a review may stay open before cleanup cancels the
   * video (REVIEW_TTL_HOURS, default 24). A bad value does not stop the app: cleanup refuses to run with it
   * and answers misconfigured (lib/cleanup/settings.ts), while the rest keeps serving.
   */
  cleanup: Retention | { misconfigured: string };
  /** Names this process in invocation ids, so the event log shows which server ran what. */
  instanceId: string;
  /** Test-only fault injection, e.g. 'render:once'. Never set in production. */
  faults?: string;
  /** Prepares the hot statements once per connection (lib/db/prepared.ts); off for poolers that cannot keep them. */
  pgPreparedStatements: boolean;
}

const cleanupSchema = z.object({
  CLEANUP_INTERMEDIATES_DAYS: z.coerce.number().int().positive().default(7),
  CLEANUP_TEMP_HOURS: z.coerce.number().int().positive().default(6),
  REVIEW_TTL_HOURS: z.coerce.number().int().positive().default(24),
});

function cleanupRetention(env: { CLEANUP_INTERMEDIATES_DAYS?: string; CLEANUP_TEMP_HOURS?: string; REVIEW_TTL_HOURS?: string }): Config['cleanup'] {
  const parsed = cleanupSchema.safeParse({
    // An empty value means unset, as in the rest of the app's configuration.
    CLEANUP_INTERMEDIATES_DAYS: env.CLEANUP_INTERMEDIATES_DAYS || undefined,
    CLEANUP_TEMP_HOURS: env.CLEANUP_TEMP_HOURS || undefined,
    REVIEW_TTL_HOURS: env.REVIEW_TTL_HOURS || undefined,
  });
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    return { misconfigured: `${names} must be a positive whole number.` };
  }
  return {
    intermediatesDays: parsed.data.CLEANUP_INTERMEDIATES_DAYS,
    tempFilesHours: parsed.data.CLEANUP_TEMP_HOURS,
    reviewTtlHours: parsed.data.REVIEW_TTL_HOURS,
  };
}

export interface TaskPolicySettings {
  maxAttempts?: number;
  /** Keyed by the kind in lower case: MAX_ATTEMPTS_RENDER sets render.maxAttempts. */
  byKind: Record<string, { maxAttempts?: number; estimateMs?: number }>;
}

const POLICY_VARIABLE = /^(MAX_ATTEMPTS|ESTIMATE_MS)_([A-Z][A-Z0-9_]*)$/;

function taskPolicySettings(env: Record<string, string | undefined>, maxAttempts: number | undefined): TaskPolicySettings {
  const byKind: TaskPolicySettings['byKind'] = {};
  for (const [name, raw] of Object.entries(env)) {
    const m = POLICY_VARIABLE.exec(name);
    // An empty value means unset, as for every other variable.
    if (!m || !raw) continue;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, not ${JSON.stringify(raw)}.`);
    const kind = m[2]!.toLowerCase();
    byKind[kind] = { ...byKind[kind], [m[1] === 'MAX_ATTEMPTS' ? 'maxAttempts' : 'estimateMs']: value };
  }
  return { maxAttempts, byKind };
}

export interface TracingSettings {
  /** Register @vercel/otel's SDK (instrumentation.ts), which records spans and sends them to the exporter. */
  register: boolean;
  /** Run lib/trace.ts's helpers at all; false only with TRACING=off, the baseline the benches compare with. */
  instrument: boolean;
}

const tracingFlag = z.object({ TRACING: flag });

/**
 * Whether spans are recorded. TRACING=on or off decides; unset, they are recorded when an exporter is
 * configured: OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (any OTLP collector), or
 * VERCEL_OTEL_ENDPOINTS (Vercel's local collector, when Vercel provides one). Only their presence is
 * read here; the SDK reads the OTEL_* values themselves (protocol, headers, sampler, service name).
 * Without an exporter nothing is registered: @vercel/otel would otherwise record every span and post it
 * to an OTLP endpoint on localhost that is not there.
 */
export function tracingSettings(env: Record<string, string | undefined> = process.env): TracingSettings {
  const parsed = tracingFlag.safeParse({ TRACING: env.TRACING || undefined });
  if (!parsed.success) throw new Error(`TRACING must be on or off (or unset), not ${JSON.stringify(env.TRACING)}.`);
  const on = parsed.data.TRACING;
  const exporter = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.VERCEL_OTEL_ENDPOINTS);
  return { register: on ?? exporter, instrument: on ?? true };
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const e = envSchema.parse(env);
  const onVercel = Boolean(e.VERCEL);
  const refusedSecrets: string[] = [];
  const strong = (name: string, value: string | undefined): string | undefined => {
    if (!value) return undefined;
    if (value.length >= MIN_SECRET_LENGTH) return value;
    refusedSecrets.push(name);
    return undefined;
  };
  const cronSecret = strong('CRON_SECRET', e.CRON_SECRET);
  const adminToken = strong('ADMIN_TOKEN', e.ADMIN_TOKEN);
  const metricsToken = strong('METRICS_TOKEN', e.METRICS_TOKEN);
  return {
    databaseUrl: e.DATABASE_URL || undefined,
    postgresUrl: e.POSTGRES_URL || undefined,
    dataDir: path.resolve(e.DATA_DIR),
    cronSecret,
    cronOpenWithoutSecret: !onVercel && e.NODE_ENV !== 'production' && !refusedSecrets.includes('CRON_SECRET'),
    refusedSecrets,
    adminToken,
    metricsToken,
    signingSecret: e.SIGNING_SECRET,
    appUrl: e.APP_URL ?? (e.VERCEL_URL ? `https://${e.VERCEL_URL}` : undefined),
    onVercel,
    trustForwarded: onVercel || e.TRUST_PROXY > 0,
    allowedOrigins: parseAllowedOrigins(e.ALLOWED_ORIGINS),
    scheduler: e.SCHEDULER ?? !onVercel,
    schedulerPollMs: e.SCHEDULER_POLL_MS,
    concurrency: e.QUEUE_CONCURRENCY,
    leaseMs: e.LEASE_MS,
    heartbeatMs: Math.min(e.HEARTBEAT_MS, Math.floor(e.LEASE_MS / 3)),
    processBudgetMs: e.PROCESS_BUDGET_MS,
    taskPolicies: taskPolicySettings(env, e.MAX_ATTEMPTS),
    startingCredits: e.STARTING_CREDITS,
    maxActiveVideos: e.MAX_ACTIVE_VIDEOS,
    limits: {
      anonGrantsPerDay: e.ANON_GRANTS_PER_IP_PER_DAY,
      generatePerMinute: e.RATE_LIMIT_GENERATE_PER_MINUTE,
      estimatePerMinute: e.RATE_LIMIT_ESTIMATE_PER_MINUTE,
      adminLoginPer15Minutes: e.RATE_LIMIT_ADMIN_LOGIN_PER_15_MINUTES,
    },
    trustProxy: e.TRUST_PROXY,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE ?? false,
    webhookSecret: e.WEBHOOK_SECRET,
    webhookRotationGraceMs: e.WEBHOOK_ROTATION_GRACE_SECONDS * 1000,
    maxRunning: e.QUEUE_MAX_RUNNING,
    ownerMaxRunning: e.OWNER_MAX_RUNNING,
    backoffBaseMs: e.BACKOFF_BASE_MS,
    backoffCapMs: e.BACKOFF_CAP_MS,
    signedUrlTtlSeconds: e.SIGNED_URL_TTL_SECONDS,
    provider: e.VIDEO_PROVIDER,
    motion: e.VIDEO_MOTION,
    openai: {
      apiKey: e.OPENAI_API_KEY || undefined,
      baseUrl: e.OPENAI_BASE_URL,
      planModel: e.OPENAI_PLAN_MODEL,
      ttsModel: e.OPENAI_TTS_MODEL,
      imageQuality: e.OPENAI_IMAGE_QUALITY,
    },
    runway: { apiKey: e.RUNWAYML_API_SECRET || e.RUNWAY_API_KEY || undefined, baseUrl: e.RUNWAY_BASE_URL },
    blobToken: e.BLOB_READ_WRITE_TOKEN || undefined,
    protectionBypass: e.VERCEL_AUTOMATION_BYPASS_SECRET || undefined,
    logLevel: e.LOG_LEVEL,
    binaries: { ffmpegPath: e.FFMPEG_PATH || undefined, pathDirs: (e.PATH ?? '').split(path.delimiter).filter(Boolean) },
    cleanup: cleanupRetention(e),
    instanceId: e.INSTANCE_ID ?? `${os.hostname()}-${process.pid}`,
    faults: e.CUEFRAME_FAULTS,
    pgPreparedStatements: e.PG_PREPARED_STATEMENTS ?? true,
  };
}
