import { useEffect, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import type { Role } from '../api/types';
import { FullPageError, FullPageLoader } from '../components/FullPageState';
import { ForbiddenPage } from '../pages/errors/ForbiddenPage';
import { safeNext } from './roles';
import { SIGNED_OUT_NOTICE_KEY, useSession } from './session';

function LoginRedirect() {
  const location = useLocation();
  const queryClient = useQueryClient();
  const notice = queryClient.getQueryData<string>(SIGNED_OUT_NOTICE_KEY);
  useEffect(() => {
    if (notice) queryClient.removeQueries({ queryKey: SIGNED_OUT_NOTICE_KEY });
  }, [notice, queryClient]);
  // Signing out is not an expired visit: no "come back here" link, just the notice.
  if (notice) return <Navigate to="/login" replace state={{ notice }} />;
  const next = `${location.pathname}${location.search}`;
  return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
}

/** Renders its children (or the nested routes) only for a signed-in user. */
export function RequireAuth({ children }: { children?: ReactNode }) {
  const { status, error, refetch } = useSession();
  if (status === 'loading') return <FullPageLoader />;
  if (status === 'error') return <FullPageError error={error} onRetry={() => void refetch()} />;
  if (status === 'anonymous') return <LoginRedirect />;
  return <>{children ?? <Outlet />}</>;
}

/**
 * Renders its children only for the given roles. Anonymous visitors go to the login page;
 * a signed-in user with another role sees a 403 page (inside the shell when nested in it).
 */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children?: ReactNode }) {
  const { user, status, error, refetch } = useSession();
  if (status === 'loading') return <FullPageLoader />;
  if (status === 'error') return <FullPageError error={error} onRetry={() => void refetch()} />;
  if (!user) return <LoginRedirect />;
  if (!roles.includes(user.role)) return <ForbiddenPage />;
  return <>{children ?? <Outlet />}</>;
}

/** Login and sign-up pages send an already signed-in user on to where they were going. */
export function GuestOnly({ children }: { children?: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'loading') return <FullPageLoader />;
  if (status === 'authenticated') {
    const next = new URLSearchParams(location.search).get('next');
    return <Navigate to={safeNext(next)} replace />;
  }
  return <>{children ?? <Outlet />}</>;
}
