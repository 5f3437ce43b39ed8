import type { Role } from '../api/types';

export const ROLE_LABELS: Record<Role, string> = {
  student: 'Student',
  teacher: 'Teacher',
  instructor: 'Instructor',
  admin: 'Admin',
};

export const ROLE_COLORS: Record<Role, string> = {
  student: 'blue',
  teacher: 'teal',
  instructor: 'teal',
  admin: 'grape',
};

/** Teachers and instructors have the same authoring rights. */
export function isAuthor(role: Role): boolean {
  return role === 'teacher' || role === 'instructor';
}

/** Where to go after signing in: only same-site paths are honoured. */
export function safeNext(raw: string | null | undefined, fallback = '/home'): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return fallback;
  return raw;
}
