// Which provider and motion engine a video uses, and whether this server can serve them at all:
// a request that needs a key the server lacks is refused at enqueue, not minutes later.
import type { Config } from '@/lib/config';
import { StepError } from '@/lib/steps/errors';
import { muxWithAudio } from '@/lib/media/mux';
import { createLocalProvider } from './local';
import { createOpenAIProvider } from './openai';
import { createOpenAIClient } from './openai/client';
import { createRunwayMotion } from './runway';
import { createRunwayClient } from './runway/client';
import { createKenBurnsMotion } from './motion/kenburns';
import type { MotionName, MotionProvider, ProviderName, VideoProvider } from './types';

export type { MotionProvider, VideoProvider } from './types';

export interface Providers {
  content(name: string): VideoProvider;
  motion(name: string): MotionProvider;
}

/** Why this server cannot make a video with these choices, in words for the person asking; null if it can. */
export function unavailableReason(config: Pick<Config, 'openai' | 'runway'>, choice: { provider: ProviderName; motion: MotionName }): string | null {
  if (choice.provider === 'openai' && !config.openai.apiKey) {
    return 'The openai provider is not available on this server (OPENAI_API_KEY is not set). Use provider "local".';
  }
  if (choice.motion === 'runway' && !config.runway.apiKey) {
    return 'Runway motion is not available on this server (RUNWAYML_API_SECRET is not set). Use motion "kenburns".';
  }
  return null;
}

export function createProviders(config: Pick<Config, 'openai' | 'runway'> & { faults?: string }): Providers {
  const cache = new Map<string, VideoProvider | MotionProvider>();
  const once = <T extends VideoProvider | MotionProvider>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  // A video queued before a key was removed fails plainly instead of retrying forever.
  const missing = (what: string) => new StepError('provider_not_configured', `${what} is no longer configured on this server.`, { permanent: true });
  return {
    content(name) {
      if (name === 'local') return once('local', () => createLocalProvider({ faults: config.faults }));
      if (name === 'openai') {
        const { apiKey, baseUrl, planModel, ttsModel, imageQuality } = config.openai;
        if (!apiKey) throw missing('The OpenAI provider');
        return once('openai', () => openaiProvider({ apiKey, baseUrl, planModel, ttsModel, imageQuality }));
      }
      throw missing(`The provider "${name}"`);
    },
    motion(name) {
      if (name === 'kenburns') return once('kenburns', createKenBurnsMotion);
      if (name === 'runway') {
        const { apiKey, baseUrl } = config.runway;
        if (!apiKey) throw missing('Runway');
        return once('runway', () => runwayMotion({ apiKey, baseUrl }));
      }
      throw missing(`The motion engine "${name}"`);
    },
  };
}

function openaiProvider(o: { apiKey: string; baseUrl?: string; planModel: string; ttsModel: string; imageQuality: 'low' | 'medium' | 'high' }): VideoProvider {
  const client = createOpenAIClient({ apiKey: o.apiKey, baseURL: o.baseUrl });
  return createOpenAIProvider({ client, planModel: o.planModel, ttsModel: o.ttsModel, imageQuality: o.imageQuality });
}

function runwayMotion(o: { apiKey: string; baseUrl?: string }): MotionProvider {
  return createRunwayMotion({ client: createRunwayClient({ apiKey: o.apiKey, baseUrl: o.baseUrl }), mux: muxWithAudio });
}
