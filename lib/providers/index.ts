import { AppError } from '@/lib/errors';
import { createLocalProvider } from './local';
import type { VideoProvider } from './types';

export type { VideoProvider } from './types';

export function providerFor(name: string): VideoProvider {
  if (name === 'local') return createLocalProvider();
  throw new AppError('misconfigured', `Unknown video provider "${name}".`);
}
