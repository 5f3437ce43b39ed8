import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../api/audit';
import { actionLabel, describeChange } from './auditFormat';

const event = (action: string, data: Record<string, unknown>): AuditEvent => ({
  id: '1',
  action,
  target_type: 'user',
  target_id: 'u',
  data,
  ip_address: '127.0.0.1',
  created_at: '2026-11-23T10:00:00Z',
  actor: null,
});

describe('audit log lines', () => {
  it('name the action in words, and keep unknown ones as they are', () => {
    expect(actionLabel('user.banned')).toBe('Banned a user');
    expect(actionLabel('something.new')).toBe('something.new');
  });

  it('say what changed', () => {
    expect(describeChange(event('user.role_changed', { from: 'teacher', to: 'admin' }))).toBe('teacher → admin');
    expect(describeChange(event('payment.refunded', { amount: 49900, reason: 'Paid twice' }))).toBe('₹499 · reason: Paid twice');
    expect(describeChange(event('course.unpublished', { title: 'Tabla' }))).toBe('“Tabla”');
  });
});
