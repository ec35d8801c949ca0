import type { TaskKind } from '@/lib/queue/types';
import type { StepHandler } from './context';
import { runCompose } from './steps/compose';
import { runPlan } from './steps/plan';
import { runRender } from './steps/render';

export const stepHandlers: Record<TaskKind, StepHandler> = {
  plan: runPlan,
  render: runRender,
  compose: runCompose,
};
