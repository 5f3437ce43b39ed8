import type { ClassworkEntry } from '../../api/courses';

export type ClassworkStatus = 'graded' | 'submitted' | 'overdue' | 'open';

/** Where a student stands on one classwork item. */
export function classworkStatus(entry: Pick<ClassworkEntry, 'due_at' | 'my_submission'>, now: Date = new Date()): ClassworkStatus {
  const submission = entry.my_submission;
  if (submission?.is_graded) return 'graded';
  if (submission) return 'submitted';
  if (entry.due_at && new Date(entry.due_at).getTime() < now.getTime()) return 'overdue';
  return 'open';
}

export const STATUS_LABELS: Record<ClassworkStatus, string> = {
  graded: 'Graded',
  submitted: 'Submitted',
  overdue: 'Overdue',
  open: 'Not submitted',
};

export const STATUS_COLORS: Record<ClassworkStatus, string> = {
  graded: 'teal',
  submitted: 'blue',
  overdue: 'red',
  open: 'gray',
};

const DATE_TIME = new Intl.DateTimeFormat('en-IN', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

/** "1 Mar 2025, 5:00 pm" in the reader's own time zone; "" for no date. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : DATE_TIME.format(date);
}
