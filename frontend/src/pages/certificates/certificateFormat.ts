import type { CertificateStatus } from '../../api/certificates';

export const CERTIFICATE_STATUS: Record<CertificateStatus, { label: string; color: string }> = {
  valid: { label: 'Valid', color: 'teal' },
  revoked: { label: 'Revoked', color: 'red' },
  invalid: { label: 'Not valid', color: 'red' },
};

/** "23 November 2026": the date as a certificate states it. */
export function formatIssueDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-IN', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** Tidy what someone typed into the shape of a code (the server forgives more). */
export function tidyCode(typed: string): string {
  return typed.trim().toUpperCase().replace(/\s+/g, '');
}
