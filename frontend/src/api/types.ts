export type Role = 'student' | 'instructor' | 'teacher' | 'admin';
export const ROLES: readonly Role[] = ['student', 'teacher', 'instructor', 'admin'];

/** The user object from docs/auth-wire.md. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  has_password: boolean;
  google_linked: boolean;
  is_banned: boolean;
  /** Why the account is suspended (null or absent when it is not). */
  banned_reason?: string | null;
  created_at: string;
  last_login_at: string | null;
  /** The user's picture (WebP), or null. */
  avatar_url?: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}

export interface MessageResponse {
  message: string;
}
