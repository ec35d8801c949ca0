// Fills a request's provider and motion from the server's defaults and refuses, before anything is
// written, choices this server has no key for.
import type { Config } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { unavailableReason } from '@/lib/providers';
import type { GenerateVideoRequest } from '@/lib/schemas/video';
import { callbackUrlProblem } from '@/lib/webhooks/ssrf';
import type { ResolvedRequest } from './create';

/** `index` is the request's place in a batch, so a refusal names the field as validation does ("0.callbackUrl"). */
export function resolveRequest(
  config: Pick<Config, 'provider' | 'motion' | 'openai' | 'runway' | 'webhookAllowPrivate'>,
  r: GenerateVideoRequest,
  index?: number,
): ResolvedRequest {
  const problem = r.callbackUrl ? callbackUrlProblem(r.callbackUrl, { allowPrivate: config.webhookAllowPrivate }) : null;
  if (problem) {
    const path = index === undefined ? 'callbackUrl' : `${index}.callbackUrl`;
    throw new AppError('validation_failed', `The request is invalid: ${path}: ${problem}`, [{ path, message: problem }]);
  }
  const resolved: ResolvedRequest = { ...r, provider: r.provider ?? config.provider, motion: r.motion ?? config.motion };
  const reason = unavailableReason(config, resolved);
  if (reason) {
    const path = reason.includes('Runway') ? 'motion' : 'provider';
    throw new AppError('provider_unavailable', reason, [{ path, message: reason }]);
  }
  return resolved;
}
