// The shapes Runway answers with. Every reply is checked here, so a changed or broken reply
// becomes a clear, retryable error instead of an undefined deep inside the pipeline.
import { z } from 'zod';
import { StepError } from '@/lib/steps/errors';
import type { RunwayRatio } from './ratios';

export const runwayModel = 'gen4_turbo';
export type RunwayDuration = 5 | 10;

export interface ImageToVideoRequest {
  model: typeof runwayModel;
  /** An https URL or a data URI such as "data:image/png;base64,...". */
  promptImage: string;
  promptText?: string;
  ratio: RunwayRatio;
  duration: RunwayDuration;
}

export const taskStatuses = ['PENDING', 'THROTTLED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type RunwayTaskStatus = (typeof taskStatuses)[number];

export const createdSchema = z.object({ id: z.string().min(1) });

// nullish, not optional: Runway may send null for fields that do not apply yet.
export const taskSchema = z.object({
  id: z.string().min(1),
  status: z.enum(taskStatuses),
  progress: z.number().nullish(),
  output: z.array(z.string()).nullish(),
  failure: z.string().nullish(),
  failureCode: z.string().nullish(),
});
export type RunwayTask = z.infer<typeof taskSchema>;

/** Checks a reply the SDK has already decoded; a body that was not JSON arrives as a string. */
export function parseValue<T>(value: unknown, schema: z.ZodType<T>, what: string): T {
  if (typeof value === 'string') {
    throw new StepError('provider_malformed', `Runway sent a reply to ${what} that is not JSON.`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new StepError('provider_malformed', `Runway sent an unexpected reply to ${what}.`, { cause: parsed.error });
  }
  return parsed.data;
}
