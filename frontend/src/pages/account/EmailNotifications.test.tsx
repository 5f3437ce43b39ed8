import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { __resetClientStateForTests } from '../../api/client';
import type { NotificationPreference } from '../../api/notifications';
import { jsonResponse, renderWithProviders, sampleUser } from '../../test/render';
import { AccountPage } from './AccountPage';

const LABELS: Record<NotificationPreference['kind'], string> = {
  enrolled: 'Enrolled in a course',
  payment_received: 'Payment received',
  payment_refunded: 'Refund recorded',
  classwork_graded: 'Classwork graded',
  certificate_issued: 'Certificate issued',
};

describe('AccountPage email notifications', () => {
  let preferences: NotificationPreference[] = [];
  let failPut = false;
  const puts: string[] = [];

  beforeEach(() => {
    __resetClientStateForTests();
    puts.length = 0;
    failPut = false;
    preferences = (Object.keys(LABELS) as NotificationPreference['kind'][]).map((kind) => ({
      kind,
      label: LABELS[kind],
      email_enabled: kind !== 'payment_refunded',
    }));
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input, init) => {
        const url = String(input);
        if (url === '/api/auth/me') return jsonResponse(200, sampleUser);
        if (url === '/api/me/notification-preferences' && init?.method === 'PUT') {
          puts.push(String(init.body));
          if (failPut) return jsonResponse(503, { code: 'service_unavailable', message: 'The database is not answering.' });
          const change = JSON.parse(String(init.body)) as { kind: string; email_enabled: boolean };
          preferences = preferences.map((p) => (p.kind === change.kind ? { ...p, email_enabled: change.email_enabled } : p));
          return jsonResponse(200, { items: preferences });
        }
        if (url === '/api/me/notification-preferences') return jsonResponse(200, { items: preferences });
        return jsonResponse(404, { code: 'not_found', message: url });
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows a labelled switch per kind and saves a change', async () => {
    const user = userEvent.setup();
    renderWithProviders(<AccountPage />, { route: '/account' });

    expect(await screen.findByRole('heading', { name: 'Email notifications' }, { timeout: 5000 })).toBeInTheDocument();
    const graded = await screen.findByRole('switch', { name: 'Classwork graded' });
    expect(graded).toBeChecked();
    expect(screen.getByRole('switch', { name: 'Refund recorded' })).not.toBeChecked();
    expect(screen.getAllByRole('switch')).toHaveLength(5);

    await user.click(graded);

    await waitFor(() => expect(screen.getByRole('switch', { name: 'Classwork graded' })).not.toBeChecked());
    expect(puts).toEqual([JSON.stringify({ kind: 'classwork_graded', email_enabled: false })]);
  });

  it('says when a change could not be saved', async () => {
    failPut = true;
    const user = userEvent.setup();
    renderWithProviders(<AccountPage />, { route: '/account' });

    await user.click(await screen.findByRole('switch', { name: 'Enrolled in a course' }, { timeout: 5000 }));

    expect(await screen.findByRole('alert')).toHaveTextContent("We couldn't save that");
    expect(screen.getByRole('switch', { name: 'Enrolled in a course' })).toBeChecked();
  });
});
