// Fills a request's provider and motion from the server's defaults and refuses, before anything is
// written, choices this server has no key for.
import type { Config } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { unavailableReason } from '@/lib/providers';
import type { GenerateVideoRequest } from '@/lib/schemas/video';
import type { ResolvedRequest } from './create';

export function resolveRequest(config: Pick<Config, 'provider' | 'motion' | 'openai' | 'runway'>, r: GenerateVideoRequest): ResolvedRequest {
  const resolved: ResolvedRequest = { ...r, provider: r.provider ?? config.provider, motion: r.motion ?? config.motion };
  const reason = unavailableReason(config, resolved);
  if (reason) {
    const path = reason.includes('Runway') ? 'motion' : 'provider';
    throw new AppError('provider_unavailable', reason, [{ path, message: reason }]);
  }
  return resolved;
}
