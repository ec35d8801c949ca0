import useSWR from 'swr';
import type { Schemas } from '@/lib/client';
import { api, NO_STORE, unwrap } from './fetcher';

export type MeView = Schemas['Me'];

export const meKey = '/api/me';

const getMe = () => unwrap(api().GET('/api/me', NO_STORE));

/** The caller's credit balance; refreshed when videos are created, finish or are cancelled. */
export function useMe() {
  const { data, error } = useSWR<MeView>(meKey, getMe, { refreshInterval: 15_000, revalidateOnFocus: true });
  return { me: data, error };
}
