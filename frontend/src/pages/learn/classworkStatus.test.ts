import { describe, expect, it } from 'vitest';
import type { Submission } from '../../api/courses';
import { classworkStatus, formatDateTime } from './classworkStatus';

const now = new Date('2025-03-01T12:00:00Z');
const submission: Submission = {
  id: 's',
  classwork_id: 'c',
  student_id: 'u',
  text: 'My answer',
  attachment_ref: null,
  submitted_at: '2025-02-28T10:00:00Z',
  grade: null,
  feedback: null,
  graded_at: null,
  is_graded: false,
};

describe('classworkStatus', () => {
  it('is open before the due date, or without one', () => {
    expect(classworkStatus({ due_at: '2025-03-02T00:00:00Z', my_submission: null }, now)).toBe('open');
    expect(classworkStatus({ due_at: null, my_submission: null }, now)).toBe('open');
  });

  it('is overdue after the due date without a submission', () => {
    expect(classworkStatus({ due_at: '2025-02-01T00:00:00Z', my_submission: null }, now)).toBe('overdue');
  });

  it('is submitted, then graded, whatever the due date', () => {
    expect(classworkStatus({ due_at: '2025-02-01T00:00:00Z', my_submission: submission }, now)).toBe('submitted');
    expect(classworkStatus({ due_at: null, my_submission: { ...submission, is_graded: true, grade: 8 } }, now)).toBe('graded');
  });
});

describe('formatDateTime', () => {
  it('formats for Indian readers and tolerates missing dates', () => {
    expect(formatDateTime('2025-03-01T11:30:00Z')).toMatch(/2025/);
    expect(formatDateTime(null)).toBe('');
    expect(formatDateTime('not a date')).toBe('');
  });
});
