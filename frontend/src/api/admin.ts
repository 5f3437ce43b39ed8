import { useMutation, useQueryClient } from '@tanstack/react-query';
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
  allUsers: ['admin', 'users'] as const,
  users: (params: ListUsersParams) => ['admin', 'users', params] as const,
};

/** Suspend an account (admins cannot be): it is signed out everywhere at once. */
export function banUser(userId: string, reason: string): Promise<User> {
  return api.post<User>(`/api/admin/users/${encodeURIComponent(userId)}/ban`, { reason });
}

export function unbanUser(userId: string): Promise<User> {
  return api.post<User>(`/api/admin/users/${encodeURIComponent(userId)}/unban`);
}

/** 409 `last_admin` when this would leave no admin; 409 `user_banned` for a suspended admin-to-be. */
export function changeUserRole(userId: string, role: Role): Promise<User> {
  return api.patch<User>(`/api/admin/users/${encodeURIComponent(userId)}/role`, { role });
}

function useUserChange<Input>(mutationFn: (input: Input) => Promise<User>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.allUsers }),
  });
}

export function useBanUser() {
  return useUserChange(({ userId, reason }: { userId: string; reason: string }) => banUser(userId, reason));
}

export function useUnbanUser() {
  return useUserChange((userId: string) => unbanUser(userId));
}

export function useChangeUserRole() {
  return useUserChange(({ userId, role }: { userId: string; role: Role }) => changeUserRole(userId, role));
}
