import type { StepHandler } from './context';
import type { WebhookSettings } from './steps/webhook';
import { workflowHandlers, type TaskKind } from './workflow';

/** The media steps; the webhook step needs settings, so the app builds the full table with pipelineHandlers(). */
export const stepHandlers: Record<TaskKind, StepHandler> = workflowHandlers({});

export function pipelineHandlers(webhooks: WebhookSettings): Record<TaskKind, StepHandler> {
  return workflowHandlers({ webhooks });
}
