// What this server can make, so the form offers only choices that will be accepted.
import type { Config } from '@/lib/config';
import { unavailableReason } from '@/lib/providers';
import { motionNames, providerNames, voices, type MotionName, type ProviderName, type Voice } from '@/lib/providers/types';

export interface Capabilities {
  providers: { name: ProviderName; available: boolean; reason: string | null }[];
  motions: { name: MotionName; available: boolean; reason: string | null }[];
  voices: readonly Voice[];
  defaults: { provider: ProviderName; motion: MotionName; voice: Voice };
}

export function capabilities(config: Pick<Config, 'provider' | 'motion' | 'openai' | 'runway'>): Capabilities {
  const providerReason = (name: ProviderName) => unavailableReason(config, { provider: name, motion: 'kenburns' });
  const motionReason = (name: MotionName) => unavailableReason(config, { provider: 'local', motion: name });
  return {
    providers: providerNames.map((name) => ({ name, available: !providerReason(name), reason: providerReason(name) })),
    motions: motionNames.map((name) => ({ name, available: !motionReason(name), reason: motionReason(name) })),
    voices,
    defaults: { provider: config.provider, motion: config.motion, voice: 'alloy' },
  };
}
