'use client';

import useSWR, { type SWRConfiguration } from 'swr';
import type { Capabilities } from '@/lib/videos/capabilities';
import { type ApiError, fetcher } from './fetcher';

export const capabilitiesKey = '/api/capabilities';

// Module-level for a stable identity. What a server offers changes only when it is redeployed,
// so one fetch per page load is enough: no polling, no refetch on focus or reconnect.
const options: SWRConfiguration<Capabilities, ApiError> = {
  refreshInterval: 0,
  revalidateOnFocus: false,
  revalidateOnReconnect: false,
  dedupingInterval: 60_000,
  errorRetryCount: 3,
};

/**
 * Which providers, motion engines and voices this server offers, and its defaults. A page that rendered
 * them on the server passes them in, so the form never waits on them.
 */
export function useCapabilities(fallbackData?: Capabilities) {
  const { data, error, isLoading } = useSWR<Capabilities, ApiError>(capabilitiesKey, fetcher,
    fallbackData ? { ...options, fallbackData } : options);
  return { capabilities: data, error, isLoading };
}
