import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { Page } from './types';

/**
 * Notifications: what happened to the signed-in user (enrolled, paid, refunded, graded,
 * certified), and which of those also come by mail. Shapes follow
 * backend/pathshala/notifications/schemas.py.
 */

export type NotificationKind =
  | 'enrolled'
  | 'payment_received'
  | 'payment_refunded'
  | 'classwork_graded'
  | 'certificate_issued';

export interface AppNotification {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  /** An SPA path to open (e.g. /learn/<slug>), or null. */
  link: string | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPage extends Page<AppNotification> {
  /** Every unread notification of the user, not only this page's. */
  unread_count: number;
}

export interface NotificationPreference {
  kind: NotificationKind;
  label: string;
  email_enabled: boolean;
}

/** How often the header asks for the unread count (it also asks on window focus). */
export const UNREAD_POLL_MS = 30_000;
export const RECENT_COUNT = 10;

export const notificationKeys = {
  all: ['notifications'] as const,
  list: (perPage: number) => ['notifications', 'list', perPage] as const,
  unread: ['notifications', 'unread-count'] as const,
  preferences: ['notification-preferences'] as const,
};

export function fetchNotifications(perPage = RECENT_COUNT, signal?: AbortSignal): Promise<NotificationPage> {
  return api.get<NotificationPage>('/api/me/notifications', { per_page: perPage }, signal);
}

export function fetchUnreadCount(signal?: AbortSignal): Promise<{ unread_count: number }> {
  return api.get<{ unread_count: number }>('/api/me/notifications/unread-count', undefined, signal);
}

/** The badge: polled every 30 s while the tab is open, and refetched when it regains focus. */
export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: ({ signal }) => fetchUnreadCount(signal),
    refetchInterval: UNREAD_POLL_MS,
    refetchOnWindowFocus: true,
    staleTime: 10_000,
  });
}

/** The most recent notifications: asked for each time the menu opens (the last answer shows
 * meanwhile), and on window focus while it is open. */
export function useRecentNotifications(enabled: boolean, perPage = RECENT_COUNT) {
  return useQuery({
    queryKey: notificationKeys.list(perPage),
    queryFn: ({ signal }) => fetchNotifications(perPage, signal),
    enabled,
    staleTime: 0,
    refetchOnWindowFocus: true,
    placeholderData: keepPreviousData,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<AppNotification>(`/api/me/notifications/${encodeURIComponent(id)}/read`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

/** Mark read every notification up to `until`: the created_at of the newest one shown, so one
 * that arrived after the list was shown stays unread. */
export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (until: string) => api.post<{ updated: number }>('/api/me/notifications/read-all', { until }),
    onSuccess: () => queryClient.setQueryData(notificationKeys.unread, { unread_count: 0 }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useNotificationPreferences() {
  return useQuery({
    queryKey: notificationKeys.preferences,
    queryFn: ({ signal }) => api.get<{ items: NotificationPreference[] }>('/api/me/notification-preferences', undefined, signal),
  });
}

/** Turn mail of one kind on or off; the answer is every kind's setting. */
export function useSetEmailPreference() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: { kind: NotificationKind; email_enabled: boolean }) =>
      api.put<{ items: NotificationPreference[] }>('/api/me/notification-preferences', change),
    onSuccess: (data) => queryClient.setQueryData(notificationKeys.preferences, data),
  });
}
