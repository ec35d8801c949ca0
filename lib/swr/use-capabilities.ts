'use client';

import useSWR, { type SWRConfiguration } from 'swr';
import type { Schemas } from '@/lib/client';
import { type ApiError, api, NO_STORE, unwrap } from './fetcher';

type Capabilities = Schemas['Capabilities'];

export const capabilitiesKey = '/api/capabilities';

const getCapabilities = () => unwrap(api().GET('/api/capabilities', NO_STORE));

// Module-level for a stable identity. What a server offers changes only when it is redeployed,
// so one fetch per page load is enough: no polling, no refetch on focus or reconnect.
const options: SWRConfiguration<Capabilities, ApiError> = {
  refreshInterval: 0,
  revalidateOnFocus: false,
  revalidateOnReconnect: false,
  dedupingInterval: 60_000,
  errorRetryCount: 3,
};

/** Which providers, motion engines and voices this server offers, and its defaults. */
export function useCapabilities() {
  const { data, error, isLoading } = useSWR<Capabilities, ApiError>(capabilitiesKey, getCapabilities, options);
  return { capabilities: data, error, isLoading };
}
