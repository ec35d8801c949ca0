// Fills a request's provider and motion from the server's defaults and refuses, before anything is
// written, choices this server has no key for.
import type { Config } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { unavailableReason } from '@/lib/providers';
import { languageNames } from '@/lib/providers/languages';
import { plannerLanguages, providerLanguages, providerVoices } from '@/lib/providers/types';
import type { GenerateVideoRequest } from '@/lib/schemas/video';
import { callbackUrlProblem } from '@/lib/webhooks/ssrf';
import type { ResolvedRequest } from './create';

/** `index` is the request's place in a batch, so a refusal names the field as validation does ("0.callbackUrl"). */
export function resolveRequest(
  config: Pick<Config, 'provider' | 'motion' | 'openai' | 'runway' | 'webhookAllowPrivate'>,
  r: GenerateVideoRequest,
  index?: number,
): ResolvedRequest {
  const at = (field: string) => (index === undefined ? field : `${index}.${field}`);
  const refuse = (field: string, message: string): never => {
    throw new AppError('validation_failed', `The request is invalid: ${at(field)}: ${message}`, [{ path: at(field), message }]);
  };
  const problem = r.callbackUrl ? callbackUrlProblem(r.callbackUrl, { allowPrivate: config.webhookAllowPrivate }) : null;
  if (problem) {
    const path = index === undefined ? 'callbackUrl' : `${index}.callbackUrl`;
    throw new AppError('validation_failed', `The request is invalid: ${path}: ${problem}`, [{ path, message: problem }]);
  }
  const provider = r.provider ?? config.provider;
  const voices = providerVoices[provider];
  if (r.voice !== undefined && !voices.includes(r.voice)) {
    refuse('voice', `The ${provider} provider has no voice "${r.voice}". Choose one of: ${voices.join(', ')}.`);
  }
  if (!providerLanguages[provider].includes(r.language)) {
    refuse('language', `The ${provider} provider cannot narrate in ${languageNames[r.language]}.`);
  }
  if (r.script === undefined && !plannerLanguages[provider].includes(r.language)) {
    refuse('script', `The ${provider} provider writes scripts in ${plannerLanguages[provider].map((l) => languageNames[l]).join(', ')} only. `
      + `For a video in ${languageNames[r.language]}, write your own script.`);
  }
  const resolved: ResolvedRequest = { ...r, provider, motion: r.motion ?? config.motion, voice: r.voice ?? voices[0]! };
  const reason = unavailableReason(config, resolved);
  if (reason) {
    const path = reason.includes('Runway') ? 'motion' : 'provider';
    throw new AppError('provider_unavailable', reason, [{ path, message: reason }]);
  }
  return resolved;
}
