import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Page } from './types';

/** The audit log (admins): who did what to what, when and from where. Read-only. */

export interface AuditEvent {
  id: string;
  action: string;
  target_type: string;
  target_id: string;
  data: Record<string, unknown>;
  ip_address: string | null;
  created_at: string;
  actor: { id: string; name: string; email: string } | null;
}

export interface AuditParams {
  page: number;
  /** An action, or a family ending in a dot ("payment."). */
  action?: string;
  from?: string;
  to?: string;
}

export function useAuditLog(params: AuditParams) {
  return useQuery({
    queryKey: ['admin', 'audit', params] as const,
    queryFn: ({ signal }) => api.get<Page<AuditEvent>>('/api/admin/audit', { per_page: 25, ...params }, signal),
    placeholderData: keepPreviousData,
  });
}
