import { useQuery } from '@tanstack/react-query';
import { api } from './client';

/** Runtime settings the server shares with the SPA. */
export interface PublicConfig {
  google_client_id: string | null;
  payment_sandbox: boolean;
  public_url: string;
}

export function getConfig(signal?: AbortSignal): Promise<PublicConfig> {
  return api.get<PublicConfig>('/api/config', undefined, signal);
}

export function usePublicConfig() {
  return useQuery({
    queryKey: ['config'],
    queryFn: ({ signal }) => getConfig(signal),
    staleTime: Infinity,
    retry: 1,
  });
}
