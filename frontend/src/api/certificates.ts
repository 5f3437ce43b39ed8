import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

/** Certificates: the caller's own, public verification by code, and admin revocation. */

export type CertificateStatus = 'valid' | 'revoked' | 'invalid';

export interface CertificateVerification {
  code: string;
  valid: boolean;
  /** invalid: the stored record no longer matches the seal taken when it was issued. */
  status: CertificateStatus;
  student_name: string;
  course_title: string;
  instructor_name: string;
  issued_at: string;
  revoked_at: string | null;
  /** Admins only. */
  revoked_reason?: string | null;
}

export interface MyCertificate extends CertificateVerification {
  course_id: string;
  pdf_url: string;
}

/** The shape of a code (the server forgives case, spaces, O for 0 and I or L for 1). */
export const CERTIFICATE_CODE_HINT = 'PSH-7K2Q-M9XD';

/** A download link for the PDF (public: the code is what unlocks it). */
export function certificatePdfUrl(code: string): string {
  return `${(import.meta.env.VITE_API_BASE_URL ?? '').replace(/\/+$/, '')}/api/certificates/${encodeURIComponent(code)}/pdf`;
}

/** The public page that verifies a certificate, as a full link to share. */
export function verifyPageUrl(code: string): string {
  return `${window.location.origin}/verify/${encodeURIComponent(code)}`;
}

export const certificateKeys = {
  mine: ['me', 'certificates'] as const,
  verify: (code: string) => ['certificates', code] as const,
};

export function useMyCertificates() {
  return useQuery({
    queryKey: certificateKeys.mine,
    queryFn: ({ signal }) => api.get<{ items: MyCertificate[] }>('/api/me/certificates', undefined, signal).then((page) => page.items),
  });
}

export function useVerification(code: string) {
  return useQuery({
    queryKey: certificateKeys.verify(code),
    queryFn: ({ signal }) => api.get<CertificateVerification>(`/api/certificates/${encodeURIComponent(code)}`, undefined, signal),
    enabled: Boolean(code),
    retry: false,
  });
}

export function useRevokeCertificate(code: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => api.post<CertificateVerification>(`/api/admin/certificates/${encodeURIComponent(code)}/revoke`, { reason }),
    onSuccess: (verification) => {
      queryClient.setQueryData(certificateKeys.verify(code), verification);
      void queryClient.invalidateQueries({ queryKey: certificateKeys.mine });
    },
  });
}

/** The course's owner (or an admin) issues the certificate by hand; idempotent. */
export function issueCertificate(courseId: string, userId: string): Promise<CertificateVerification> {
  return api.post<CertificateVerification>(`/api/courses/${encodeURIComponent(courseId)}/certificates`, { user_id: userId });
}
