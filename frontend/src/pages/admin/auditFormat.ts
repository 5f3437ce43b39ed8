import type { AuditEvent } from '../../api/audit';
import { formatRupees } from '../../components/money';

/** Families of actions, for the filter. */
export const ACTION_FAMILIES = [
  { value: '', label: 'Everything' },
  { value: 'user.', label: 'Users: roles and bans' },
  { value: 'payment.', label: 'Payments and refunds' },
  { value: 'certificate.', label: 'Certificates' },
  { value: 'course.', label: 'Courses' },
];

const ACTION_LABELS: Record<string, string> = {
  'user.banned': 'Banned a user',
  'user.unbanned': 'Lifted a ban',
  'user.role_changed': 'Changed a role',
  'payment.manual_recorded': 'Recorded a manual payment',
  'payment.refunded': 'Refunded a payment',
  'certificate.revoked': 'Revoked a certificate',
  'certificate.issued': 'Issued a certificate by hand',
  'course.unpublished': 'Unpublished a course',
  'course.archived': 'Archived a course',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** One line on what changed: the reason, the roles, the amount, the title. */
export function describeChange(event: AuditEvent): string {
  const { data } = event;
  const parts: string[] = [];
  if (data.from !== undefined || data.to !== undefined) parts.push(`${text(data.from)} → ${text(data.to)}`);
  if (typeof data.amount === 'number') parts.push(formatRupees(data.amount));
  if (data.reference) parts.push(`ref ${text(data.reference)}`);
  if (data.title) parts.push(`“${text(data.title)}”`);
  if (data.reason) parts.push(`reason: ${text(data.reason)}`);
  return parts.join(' · ');
}
