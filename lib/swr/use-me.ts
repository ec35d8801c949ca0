import useSWR from 'swr';
import { fetcher } from './fetcher';

export interface MeView {
  balance: number;
  tier: 'standard' | 'premium';
}

export const meKey = '/api/me';

/** The caller's credit balance; refreshed when videos are created, finish or are cancelled. */
export function useMe() {
  const { data, error } = useSWR<MeView>(meKey, fetcher, { refreshInterval: 15_000, revalidateOnFocus: true });
  return { me: data, error };
}
