import { useEffect, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import * as authApi from '../api/auth';
import { isApiError, setSessionExpiredHandler } from '../api/client';
import type { User } from '../api/types';

export const SESSION_KEY = ['session'] as const;

/** The current user, or null for an anonymous visitor (a 401 from /me is not an error, nor is
 * the 403 of a suspended account: the client has already ended that session). */
async function fetchSession(signal?: AbortSignal): Promise<User | null> {
  try {
    return await authApi.me(signal);
  } catch (error) {
    if (isApiError(error) && (error.status === 401 || error.code === 'account_suspended')) return null;
    throw error;
  }
}

/**
 * Wires the API client's "session ended" signal to the session cache. An expired session just
 * clears the user (guarded pages then send them to log in). A suspended account is signed out
 * wherever it is, public pages included, and lands on the login page that says why.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  useEffect(() => {
    setSessionExpiredHandler((reason) => {
      if (reason === 'suspended') {
        setSessionUser(queryClient, null);
        queryClient.setQueryData(SIGNED_OUT_NOTICE_KEY, 'suspended');
        navigate('/login', { replace: true, state: { notice: 'suspended' } });
        return;
      }
      if (queryClient.getQueryData(SESSION_KEY)) queryClient.setQueryData(SESSION_KEY, null);
    });
    return () => setSessionExpiredHandler(null);
  }, [queryClient, navigate]);
  return <>{children}</>;
}

export type SessionStatus = 'loading' | 'error' | 'anonymous' | 'authenticated';

export function useSession() {
  const query = useQuery({
    queryKey: SESSION_KEY,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: 5 * 60 * 1000,
    retry: false,
    // A failed /me (server down) is retried only when asked (a Retry button). Otherwise every
    // layout that mounts after the error would refetch it, reset it to "loading", swap itself
    // for a spinner, remount, and refetch again: a request loop.
    retryOnMount: false,
  });
  const user = query.data ?? null;
  const status: SessionStatus = query.isPending
    ? 'loading'
    : query.isError && query.data === undefined
      ? 'error'
      : user
        ? 'authenticated'
        : 'anonymous';
  return { user, status, error: query.error, refetch: query.refetch };
}

/** Put a freshly signed-in user in the cache and drop anything cached for someone else. */
export function setSessionUser(queryClient: QueryClient, user: User | null): void {
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] && q.queryKey[0] !== 'config' });
  queryClient.setQueryData(SESSION_KEY, user);
}

export function useSetSessionUser() {
  const queryClient = useQueryClient();
  return (user: User | null) => setSessionUser(queryClient, user);
}

/**
 * Why the visitor was signed out, for the login page. Kept in the query cache because clearing
 * the session re-renders the signed-in routes before our own navigation commits: RequireAuth
 * then redirects to /login itself and must carry this notice along (see guards.tsx).
 */
export const SIGNED_OUT_NOTICE_KEY = ['signed-out-notice'] as const;

/** Sign out here (or everywhere) and land on the login page with a notice. */
export function useSignOut(scope: 'this-device' | 'all-devices' = 'this-device') {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => (scope === 'all-devices' ? authApi.logoutAll() : authApi.logout()),
    onSettled: (_data, error) => {
      // Even if the server call failed (e.g. already expired), the local session is over,
      // except when signing out everywhere failed: then the user must know it did not happen.
      if (error && scope === 'all-devices') return;
      const notice = scope === 'all-devices' ? 'signed-out-all' : 'signed-out';
      setSessionUser(queryClient, null);
      queryClient.setQueryData(SIGNED_OUT_NOTICE_KEY, notice);
      navigate('/login', { replace: true, state: { notice } });
    },
  });
}
