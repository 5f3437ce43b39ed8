import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { AppProviders, createQueryClient } from '../AppProviders';

/** Render inside the real providers (theme, query client, session) at a given URL. */
export function renderWithProviders(ui: ReactElement, { route = '/' }: { route?: string } = {}) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } });
  const result = render(
    <MemoryRouter initialEntries={[route]}>
      <AppProviders queryClient={queryClient}>{ui}</AppProviders>
    </MemoryRouter>,
  );
  return { ...result, queryClient };
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export const sampleUser = {
  id: '8b7c1a52-6c4f-4b3e-9a47-1f0d2e3c4b5a',
  email: 'asha@example.com',
  name: 'Asha Rao',
  role: 'student' as const,
  has_password: true,
  google_linked: false,
  is_banned: false,
  created_at: '2025-01-10T09:00:00Z',
  last_login_at: '2025-02-01T09:00:00Z',
};
