import type { TaskKind } from './workflow';
import type { StepHandler } from './context';
import { runCompose } from './steps/compose';
import { runPlan } from './steps/plan';
import { runRender } from './steps/render';
import { webhookStep, type WebhookSettings } from './steps/webhook';

/** The media steps; the webhook step needs settings, so the app builds the full table with pipelineHandlers(). */
export const stepHandlers: Record<TaskKind, StepHandler> = {
  plan: runPlan,
  render: runRender,
  compose: runCompose,
  webhook: async () => {
    throw new Error('webhook delivery is not configured in this handler table');
  },
};

export function pipelineHandlers(webhooks: WebhookSettings): Record<TaskKind, StepHandler> {
  return { ...stepHandlers, webhook: webhookStep(webhooks) };
}
