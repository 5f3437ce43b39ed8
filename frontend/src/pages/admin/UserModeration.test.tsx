import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { __resetClientStateForTests } from '../../api/client';
import type { User } from '../../api/types';
import { jsonResponse, renderWithProviders, sampleUser } from '../../test/render';
import { validateBanReason } from './BanUserModal';
import { UsersTable } from './UsersTable';

const ME: User = { ...sampleUser, id: 'u-me', name: 'Ada Admin', email: 'ada@example.com', role: 'admin' };
const STUDENT: User = { ...sampleUser, id: 'u-sam', name: 'Sam Student', email: 'sam@example.com' };
const BANNED: User = {
  ...sampleUser,
  id: 'u-bo',
  name: 'Bo Banned',
  email: 'bo@example.com',
  is_banned: true,
  banned_reason: 'Chargeback fraud',
};

interface Sent {
  method: string;
  url: string;
  body: unknown;
}

describe('UsersTable moderation', () => {
  let users: User[];
  let sent: Sent[];
  let roleAnswer: (() => Response) | null;

  beforeEach(() => {
    __resetClientStateForTests();
    users = [ME, STUDENT, BANNED].map((user) => ({ ...user }));
    sent = [];
    roleAnswer = null;
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input, init) => {
        const url = String(input);
        const method = init?.method ?? 'GET';
        if (url === '/api/auth/me') return jsonResponse(200, ME);
        if (url.startsWith('/api/admin/users?') || url === '/api/admin/users') {
          return jsonResponse(200, { items: users, total: users.length, page: 1, per_page: 20 });
        }
        const match = /^\/api\/admin\/users\/([^/]+)\/(ban|unban|role)$/.exec(url);
        if (match) {
          const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined;
          sent.push({ method, url, body });
          const user = users.find((u) => u.id === match[1])!;
          if (match[2] === 'ban') Object.assign(user, { is_banned: true, banned_reason: body?.reason });
          if (match[2] === 'unban') Object.assign(user, { is_banned: false, banned_reason: null });
          if (match[2] === 'role') {
            if (roleAnswer) return roleAnswer();
            user.role = body?.role as User['role'];
          }
          return jsonResponse(200, user);
        }
        return jsonResponse(404, { code: 'not_found', message: url });
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  async function openActions(name: string) {
    const user = userEvent.setup();
    renderWithProviders(<UsersTable />);
    await user.click(await screen.findByRole('button', { name: `Actions for ${name}` }));
    return user;
  }

  it('shows a suspension with its reason, and offers each user only the actions that apply', async () => {
    const user = userEvent.setup();
    renderWithProviders(<UsersTable />);
    const row = (await screen.findByText('Bo Banned')).closest('tr')!;
    expect(within(row).getByText('Suspended')).toBeInTheDocument();
    expect(within(row).getByText('Chargeback fraud')).toBeInTheDocument();

    const actionsOf = async (name: string) => {
      await user.click(screen.getByRole('button', { name: `Actions for ${name}` }));
      const menu = await screen.findByRole('menu', { name: `Actions for ${name}`, hidden: true });
      const items = within(menu)
        .getAllByRole('menuitem', { hidden: true })
        .map((item) => item.textContent);
      await user.keyboard('{Escape}');
      return items;
    };

    expect(await actionsOf('Sam Student')).toEqual(['Change role', 'Ban']);
    // Admins (yourself included) cannot be banned: the action is not offered.
    expect(await actionsOf('Ada Admin')).toEqual(['Change role']);
    expect(await actionsOf('Bo Banned')).toEqual(['Change role', 'Unban']);
  });

  it('bans with a reason, checked before sending', async () => {
    const user = await openActions('Sam Student');
    await user.click(await screen.findByRole('menuitem', { name: 'Ban', hidden: true }));
    const dialog = await screen.findByRole('dialog', { name: 'Ban user' });

    await user.type(within(dialog).getByLabelText(/Reason/), '  x ');
    await user.click(within(dialog).getByRole('button', { name: 'Ban user' }));
    expect(await within(dialog).findByText('Say why, in at least 3 characters')).toBeInTheDocument();
    expect(sent).toEqual([]);

    await user.clear(within(dialog).getByLabelText(/Reason/));
    await user.type(within(dialog).getByLabelText(/Reason/), '  Posting spam  ');
    await user.click(within(dialog).getByRole('button', { name: 'Ban user' }));

    expect(await screen.findByText('Account suspended')).toBeInTheDocument();
    expect(sent).toEqual([{ method: 'POST', url: '/api/admin/users/u-sam/ban', body: { reason: 'Posting spam' } }]);
    const row = (await screen.findByText('Posting spam')).closest('tr')!;
    expect(within(row).getByText('Suspended')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Ban user' })).not.toBeInTheDocument());
  });

  it('is reachable from the keyboard: the menu, its items and the dialog', async () => {
    const user = userEvent.setup();
    renderWithProviders(<UsersTable />);
    const trigger = await screen.findByRole('button', { name: 'Actions for Sam Student' });
    trigger.focus();
    await user.keyboard('{Enter}');
    const menu = await screen.findByRole('menu', { name: 'Actions for Sam Student', hidden: true });
    // Opening from the keyboard moves focus into the menu; the arrows go from item to item.
    await waitFor(() => expect(trigger).not.toHaveFocus());
    await user.keyboard('{ArrowDown}');
    expect(within(menu).getByRole('menuitem', { name: 'Change role', hidden: true })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(within(menu).getByRole('menuitem', { name: 'Ban', hidden: true })).toHaveFocus();
    await user.keyboard('{Enter}');

    const dialog = await screen.findByRole('dialog', { name: 'Ban user' });
    await waitFor(() => expect(within(dialog).getByLabelText(/Reason/)).toHaveFocus());
    await user.keyboard('Abusive messages');
    await user.tab(); // Cancel
    await user.tab(); // Ban user
    await user.keyboard('{Enter}');
    expect(await screen.findByText('Account suspended')).toBeInTheDocument();
    expect(sent).toEqual([{ method: 'POST', url: '/api/admin/users/u-sam/ban', body: { reason: 'Abusive messages' } }]);
  });

  it('unbans from the menu and says so', async () => {
    const user = await openActions('Bo Banned');
    await user.click(await screen.findByRole('menuitem', { name: 'Unban', hidden: true }));

    expect(await screen.findByText('Suspension lifted')).toBeInTheDocument();
    expect(sent).toEqual([{ method: 'POST', url: '/api/admin/users/u-bo/unban', body: undefined }]);
    await waitFor(() => expect(screen.queryByText('Chargeback fraud')).not.toBeInTheDocument());
  });

  it('changes a role', async () => {
    const user = await openActions('Sam Student');
    await user.click(await screen.findByRole('menuitem', { name: 'Change role', hidden: true }));
    const dialog = await screen.findByRole('dialog', { name: 'Change role' });
    const submit = within(dialog).getByRole('button', { name: 'Change role' });
    expect(submit).toBeDisabled(); // still the current role

    await user.selectOptions(within(dialog).getByLabelText('New role'), 'teacher');
    await user.click(submit);

    expect(await screen.findByText('Role changed')).toBeInTheDocument();
    expect(sent).toEqual([{ method: 'PATCH', url: '/api/admin/users/u-sam/role', body: { role: 'teacher' } }]);
    const row = (await screen.findByText('Sam Student')).closest('tr')!;
    await waitFor(() => expect(within(row).getByText('Teacher')).toBeInTheDocument());
  });

  it('shows the last-admin refusal clearly, and keeps the dialog open', async () => {
    roleAnswer = () =>
      jsonResponse(409, { code: 'last_admin', message: 'This is the last admin. Make someone else an admin first.' });
    const user = await openActions('Ada Admin');
    await user.click(await screen.findByRole('menuitem', { name: 'Change role', hidden: true }));
    const dialog = await screen.findByRole('dialog', { name: 'Change role' });

    await user.selectOptions(within(dialog).getByLabelText('New role'), 'teacher');
    expect(within(dialog).getByText(/you will lose access to the admin pages/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Change role' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('This is the last admin');
    expect(alert).toHaveTextContent('Make someone else an admin first.');
    expect(screen.getByRole('dialog', { name: 'Change role' })).toBeInTheDocument();
  });
});

describe('validateBanReason', () => {
  it('wants 3 to 500 characters once trimmed', () => {
    expect(validateBanReason('  ab ')).toMatch(/at least 3/);
    expect(validateBanReason('abc')).toBeNull();
    expect(validateBanReason('x'.repeat(500))).toBeNull();
    expect(validateBanReason('x'.repeat(501))).toMatch(/under 500/);
  });
});
