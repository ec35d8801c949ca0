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
import { tracedContent, tracedMotion } from './trace';
import type { MotionName, MotionProvider, ProviderName, VideoProvider } from './types';

export type { MotionProvider, VideoProvider } from './types';

export interface Providers {
  content(name: string): VideoProvider;
  motion(name: string): MotionProvider;
}

/** Why a choice can't be served, for machines (`code`, `field`) and in plain words for people (`message`). */
export interface Unavailable {
  field: 'provider' | 'motion';
  code: 'openai_not_configured' | 'runway_not_configured';
  /** What the form shows next to the choice: a statement about this server. */
  reason: string;
  /** What a request that asked for it is told. */
  message: string;
}

// People read these in the form and in a 422, so they say what is missing and what to do in words; the
// setting an operator must change is documented in the README, not shown to every visitor.
export function unavailable(config: Pick<Config, 'openai' | 'runway'>, choice: { provider: ProviderName; motion: MotionName }): Unavailable | null {
  if (choice.provider === 'openai' && !config.openai.apiKey) {
    return {
      field: 'provider', code: 'openai_not_configured',
      reason: 'OpenAI isn’t set up on this server, so videos are made with the free local engine.',
      message: 'OpenAI isn’t set up on this server, so it can’t make this video. Choose the free local engine (provider "local") instead.',
    };
  }
  if (choice.motion === 'runway' && !config.runway.apiKey) {
    return {
      field: 'motion', code: 'runway_not_configured',
      reason: 'Runway isn’t set up on this server, so scenes move with the Ken Burns pan and zoom.',
      message: 'Runway isn’t set up on this server, so it can’t animate this video. Choose Ken Burns motion (motion "kenburns") instead.',
    };
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
      if (name === 'local') return once('local', () => tracedContent(createLocalProvider({ faults: config.faults })));
      if (name === 'openai') {
        const { apiKey, baseUrl, planModel, ttsModel, imageQuality } = config.openai;
        if (!apiKey) throw missing('The OpenAI provider');
        return once('openai', () => tracedContent(openaiProvider({ apiKey, baseUrl, planModel, ttsModel, imageQuality })));
      }
      throw missing(`The provider "${name}"`);
    },
    motion(name) {
      if (name === 'kenburns') return once('kenburns', () => tracedMotion(createKenBurnsMotion()));
      if (name === 'runway') {
        const { apiKey, baseUrl } = config.runway;
        if (!apiKey) throw missing('Runway');
        return once('runway', () => tracedMotion(runwayMotion({ apiKey, baseUrl })));
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
