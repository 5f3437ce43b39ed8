import { api } from './client';
import type { Page, Role, User } from './types';

export interface CreateTeacherInput {
  name: string;
  email: string;
  password: string;
}

export function createTeacher(input: CreateTeacherInput): Promise<User> {
  return api.post<User>('/api/auth/admin/create-teacher', input);
}

export interface ListUsersParams {
  q?: string;
  role?: Role | '';
  page?: number;
  per_page?: number;
}

export function listUsers(params: ListUsersParams, signal?: AbortSignal): Promise<Page<User>> {
  return api.get<Page<User>>('/api/admin/users', { ...params }, signal);
}

export const adminKeys = {
  all: ['admin'] as const,
  users: (params: ListUsersParams) => ['admin', 'users', params] as const,
};
