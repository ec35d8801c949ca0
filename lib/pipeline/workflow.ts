// THE VIDEO WORKFLOW. Every step kind is declared here once: what runs, how often it may be tried
// and how long it is expected to take, what it fans out to or fans in to, its share of the progress
// bar, and what its death does to the video. Task kinds, the worker's registry, the admin views and
// the retry and cancel rules are derived from this table; nothing else lists the kinds.
//
// Adding a step kind: its own file in steps/, one entry below, and (while migration 0004's check
// constraint on tasks.kind exists) a migration that widens it.
//
// A step may also declare a pause: for the videos it names, the step's fan-out waits for the owner's
// approval (lib/pipeline/pause.ts) instead of following the step's completion.
import type { TaskPolicySettings } from '@/lib/config';
import type { Queryable } from '@/lib/db/types';
import type { KindPolicy } from '@/lib/queue/registry';
import { OUTCOME_WEBHOOK_KIND, type VideoEvent } from '@/lib/videos/outcome';
import type { VideoStatus } from '@/lib/videos/types';
import type { StepHandler } from './context';
import { runCompose } from './steps/compose';
import { runPlan } from './steps/plan';
import { runRender } from './steps/render';
import { webhookStep, type WebhookSettings } from './steps/webhook';
import type { PipelineVideo } from './video-state';

/**
 * A stop after a step, before its fan-out: the video waits in `status` until its owner approves,
 * and only then does the fan-out run (lib/pipeline/pause.ts applies it, for every step alike).
 */
export interface PauseDeclaration {
  /** Whether this video stops here; read from its row in the step's completion transaction. */
  when: (video: PipelineVideo) => boolean;
  /** The status the step moves a video on to; a pause takes its place, and approval restores it. */
  after: VideoStatus;
  /** The status it waits in, and what the status page says meanwhile. */
  status: VideoStatus;
  label: string;
  /** What the status page says once approved, until the fan-out's first task reports. */
  resumeLabel: string;
  /** The webhook event (`video.<event>`) sent when it starts waiting. */
  event: VideoEvent;
}

export interface StepDeclaration {
  /** What runs. Given the app's settings, for steps that need them. */
  handler: (settings: WorkflowSettings) => StepHandler;
  /** Attempts before the task is dead, and the run time the time budget plans with (config may override). */
  policy: KindPolicy;
  /** One task per scene, scene_index set (otherwise one task per video). */
  perScene: boolean;
  /** After this step completes (or, when it paused the video, on approval): one `into` task per scene the step produced. */
  fanOut?: { into: string; items: (tx: Queryable, videoId: string) => Promise<number[]> };
  /**
   * After this step completes: enqueue the single `into` task once every sibling is done (`ready`).
   * `resumable`: every sibling is done whatever the video's status; a retry enqueues `into` then.
   */
  fanIn?: { into: string; ready: (tx: Queryable, videoId: string) => Promise<boolean>; resumable: (tx: Queryable, videoId: string) => Promise<boolean> };
  /** Share of the video's progress bar; 0 for work that reports on the video rather than makes it. */
  progressWeight: number;
  /**
   * In the time-left estimate (lib/pipeline/eta.ts): the duration used while the queue has no samples
   * of this kind, and the video status the step runs under (a video past it no longer waits for it).
   * Null: not part of the estimate.
   */
  eta: { defaultMs: number; phase: 'planning' | 'rendering' | 'composing' } | null;
  /**
   * What a dead task does: 'fail-video' fails the video (its queued steps pause, its credits are
   * released), 'fail-scene' also marks its scene failed first, 'none' leaves the video alone.
   */
  onDeath: 'fail-video' | 'fail-scene' | 'none';
  /** Part of making the video: a cancel or a failure stops it, a retry requeues it. */
  stopsWithVideo: boolean;
  /** Wait for the owner's approval after this step, before its fan-out. */
  pause?: PauseDeclaration;
}

export interface WorkflowSettings {
  /** Without them, a webhook task fails as unconfigured (the tests' media-only handler table). */
  webhooks?: WebhookSettings;
}

const unconfigured: StepHandler = async () => {
  throw new Error('webhook delivery is not configured in this handler table');
};

/** Scenes the plan wrote, while the video is rendering (a cancelled video gets none). */
async function plannedScenes(tx: Queryable, videoId: string): Promise<number[]> {
  const r = await tx.query<{ index: number }>(
    `select s.index from scenes s join videos v on v.id = s.video_id
     where s.video_id = $1::uuid and v.status = 'rendering' order by s.index`,
    [videoId],
  );
  return r.rows.map((row) => row.index);
}

/**
 * Every scene rendered (and, unless `anyStatus`, the video still rendering). The video row is locked
 * (lib/videos/lock-order.ts), so of the scenes' completions exactly one sees it.
 */
async function allScenesRendered(tx: Queryable, videoId: string, anyStatus = false): Promise<boolean> {
  const r = await tx.query<{ ready: boolean }>(
    `select ($2::boolean or v.status = 'rendering') and s.total > 0 and s.rendered = s.total as ready
     from videos v,
          lateral (select count(*)::int as total, count(*) filter (where status = 'rendered')::int as rendered
                   from scenes where video_id = v.id) s
     where v.id = $1::uuid`,
    [videoId, anyStatus],
  );
  return r.rows[0]?.ready ?? false;
}

export const workflow = {
  plan: {
    handler: () => runPlan,
    policy: { maxAttempts: 5, estimateMs: 30_000 },
    perScene: false,
    fanOut: { into: 'render', items: plannedScenes },
    progressWeight: 10,
    eta: { defaultMs: 5_000, phase: 'planning' },
    onDeath: 'fail-video',
    stopsWithVideo: true,
    // Review before rendering: the scenes can be read and edited before anything is spent on them.
    pause: {
      when: (video) => video.review,
      after: 'rendering',
      status: 'awaiting_review',
      label: 'Waiting for your review',
      resumeLabel: 'Starting to render',
      event: 'awaiting_review',
    },
  },
  render: {
    handler: () => runRender,
    policy: { maxAttempts: 5, estimateMs: 90_000 },
    perScene: true,
    fanIn: { into: 'compose', ready: (tx, id) => allScenesRendered(tx, id), resumable: (tx, id) => allScenesRendered(tx, id, true) },
    progressWeight: 80,
    eta: { defaultMs: 10_000, phase: 'rendering' },
    onDeath: 'fail-scene',
    stopsWithVideo: true,
  },
  compose: {
    handler: () => runCompose,
    policy: { maxAttempts: 5, estimateMs: 60_000 },
    perScene: false,
    progressWeight: 10,
    eta: { defaultMs: 5_000, phase: 'composing' },
    onDeath: 'fail-video',
    stopsWithVideo: true,
  },
  [OUTCOME_WEBHOOK_KIND]: {
    handler: (s) => (s.webhooks ? webhookStep(s.webhooks) : unconfigured),
    policy: { maxAttempts: 8, estimateMs: 15_000 },
    perScene: false,
    progressWeight: 0,
    eta: null,
    // A failed delivery is its own outcome: it never fails the video it reports on.
    onDeath: 'none',
    stopsWithVideo: false,
  },
} as const satisfies Record<string, StepDeclaration>;

export type TaskKind = keyof typeof workflow;
export const taskKinds = Object.keys(workflow) as TaskKind[];
export const stepOf = (kind: string): StepDeclaration | undefined => (workflow as Record<string, StepDeclaration>)[kind];
/** The kinds that make the video (the rest report on it). */
export const videoStepKinds = taskKinds.filter((k) => workflow[k].stopsWithVideo);
/** The kinds a video's cancel, failure and retry leave alone. */
export const detachedKinds = taskKinds.filter((k) => !workflow[k].stopsWithVideo);
/** The steps that may pause a video, with their pauses. */
export const pausingSteps: ReadonlyArray<{ kind: TaskKind; pause: PauseDeclaration }> = taskKinds.flatMap((k) => {
  const pause = (workflow[k] as StepDeclaration).pause;
  return pause ? [{ kind: k, pause }] : [];
});

/** Each kind's share of the progress bar (lib/pipeline/progress.ts). */
export const progressWeights: Readonly<Record<string, number>> = Object.fromEntries(taskKinds.map((k) => [k, workflow[k].progressWeight]));

/**
 * Each kind's policy from its declaration and the environment's settings: MAX_ATTEMPTS_<KIND> and
 * ESTIMATE_MS_<KIND> first, then MAX_ATTEMPTS for the steps that make the video (a delivery that
 * reports on it keeps its own count), then the declared value.
 */
export function configuredPolicies(settings: TaskPolicySettings): Record<TaskKind, KindPolicy> {
  return Object.fromEntries(taskKinds.map((k) => {
    const declared = workflow[k].policy;
    const own = settings.byKind[k] ?? {};
    const maxAttempts = own.maxAttempts ?? (workflow[k].stopsWithVideo ? settings.maxAttempts : undefined) ?? declared.maxAttempts;
    return [k, { maxAttempts, estimateMs: own.estimateMs ?? declared.estimateMs }];
  })) as Record<TaskKind, KindPolicy>;
}

/** Declared policies, each overridden by the configured one when there is one. */
export function stepPolicies(configured: Partial<Record<string, KindPolicy>> = {}): Record<TaskKind, KindPolicy> {
  return Object.fromEntries(taskKinds.map((k) => [k, configured[k] ?? workflow[k].policy])) as Record<TaskKind, KindPolicy>;
}

export function workflowHandlers(settings: WorkflowSettings): Record<TaskKind, StepHandler> {
  return Object.fromEntries(taskKinds.map((k) => [k, (workflow[k] as StepDeclaration).handler(settings)])) as Record<TaskKind, StepHandler>;
}
