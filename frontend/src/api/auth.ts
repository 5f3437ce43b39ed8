import { api } from './client';
import type { MessageResponse, User } from './types';

/**
 * Auth endpoints. Login-like answers also carry tokens for API clients; the SPA relies on the
 * httpOnly cookies set alongside them and keeps only `user` from the body.
 */
interface SessionAnswer {
  user: User;
}

export type SignupRole = 'student' | 'teacher' | 'instructor';

export interface RegisterInput {
  name: string;
  email: string;
  password: string;
  role: SignupRole;
}

export async function register(input: RegisterInput): Promise<User> {
  const { user } = await api.post<SessionAnswer>('/api/auth/register', input);
  return user;
}

export async function login(input: { email: string; password: string }): Promise<User> {
  const { user } = await api.post<SessionAnswer>('/api/auth/login', input);
  return user;
}

/** Exchange a Google Identity Services credential (an ID token) for a session. */
export async function google(idToken: string): Promise<User> {
  const { user } = await api.post<SessionAnswer>('/api/auth/google', { id_token: idToken });
  return user;
}

export function logout(): Promise<MessageResponse> {
  return api.post<MessageResponse>('/api/auth/logout');
}

export function logoutAll(): Promise<MessageResponse> {
  return api.post<MessageResponse>('/api/auth/logout-all');
}

export function me(signal?: AbortSignal): Promise<User> {
  return api.get<User>('/api/auth/me', undefined, signal);
}

export function updateMe(input: { name: string }): Promise<User> {
  return api.patch<User>('/api/auth/me', input);
}

export function changePassword(input: { current_password?: string; new_password: string }): Promise<MessageResponse> {
  return api.post<MessageResponse>('/api/auth/change-password', input);
}

export function forgotPassword(input: { email: string }): Promise<MessageResponse> {
  return api.post<MessageResponse>('/api/auth/forgot-password', input);
}

export function resetPassword(input: { token: string; new_password: string }): Promise<MessageResponse> {
  return api.post<MessageResponse>('/api/auth/reset-password', input);
}
