import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import { __resetClientStateForTests } from '../api/client';
import type { AppNotification } from '../api/notifications';
import { jsonResponse, renderWithProviders } from '../test/render';
import { bellLabel, NotificationsMenu, timeAgo } from './NotificationsMenu';

function note(overrides: Partial<AppNotification>): AppNotification {
  return {
    id: 'n1',
    kind: 'classwork_graded',
    title: 'Graded: Essay on Yaman',
    body: 'Your work was graded 8 out of 10.',
    link: '/learn/raga-theory/classwork',
    created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
    read_at: null,
    ...overrides,
  };
}

function WhereAmI() {
  return <p data-testid="location">{useLocation().pathname}</p>;
}

function renderMenu() {
  return renderWithProviders(
    <>
      <NotificationsMenu />
      <Routes>
        <Route path="*" element={<WhereAmI />} />
      </Routes>
    </>,
    { route: '/home' },
  );
}

describe('NotificationsMenu', () => {
  let items: AppNotification[] = [];
  let unread = 0;
  let listStatus = 200;
  const calls: string[] = [];
  const bodies: string[] = [];
  // The first render pulls in Mantine: a busy machine takes longer than findBy's 1 s.
  const slow = { timeout: 5000 };

  beforeEach(() => {
    __resetClientStateForTests();
    calls.length = 0;
    bodies.length = 0;
    listStatus = 200;
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input, init) => {
        const url = String(input);
        const method = init?.method ?? 'GET';
        calls.push(`${method} ${url}`);
        if (url.startsWith('/api/me/notifications/unread-count')) return jsonResponse(200, { unread_count: unread });
        if (url === '/api/me/notifications/read-all' && method === 'POST') {
          bodies.push(String(init?.body));
          const updated = unread;
          unread = 0;
          items = items.map((item) => ({ ...item, read_at: item.read_at ?? new Date().toISOString() }));
          return jsonResponse(200, { updated });
        }
        const read = url.match(/^\/api\/me\/notifications\/([^/]+)\/read$/);
        if (read && method === 'POST') {
          const item = items.find((candidate) => candidate.id === read[1]);
          if (!item) return jsonResponse(404, { code: 'notification_not_found', message: 'No such notification.' });
          item.read_at = new Date().toISOString();
          unread = Math.max(0, unread - 1);
          return jsonResponse(200, item);
        }
        if (url.startsWith('/api/me/notifications')) {
          if (listStatus !== 200) return jsonResponse(listStatus, { code: 'internal_error', message: 'Something went wrong on our side.' });
          return jsonResponse(200, { items, unread_count: unread, total: items.length, page: 1, per_page: 10 });
        }
        return jsonResponse(404, { code: 'not_found', message: url });
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it('names the bell with the unread count, lists the notifications and opens one', async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
    items = [
      note({}),
      note({ id: 'n2', title: 'You are enrolled in Sitar', link: '/learn/sitar', created_at: twoHoursAgo, read_at: twoHoursAgo }),
    ];
    unread = 1;
    const user = userEvent.setup();
    renderMenu();

    const bell = await screen.findByRole('button', { name: 'Notifications, 1 unread' }, slow);
    expect(bell).toHaveAttribute('aria-expanded', 'false');
    await user.click(bell);
    expect(bell).toHaveAttribute('aria-expanded', 'true');

    const dialog = await screen.findByRole('dialog', { name: 'Notifications' });
    const entries = await within(dialog).findAllByTestId('notification-item');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toHaveAccessibleName('Unread: Graded: Essay on Yaman');
    expect(entries[0]).toHaveAccessibleDescription('Your work was graded 8 out of 10.');
    expect(entries[1]).toHaveAccessibleName('You are enrolled in Sitar');
    expect(within(entries[0]).getByText('5 min ago')).toBeInTheDocument();
    expect(within(entries[1]).getByText('2 h ago')).toBeInTheDocument();

    await user.click(entries[0]);

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/learn/raga-theory/classwork'));
    expect(calls).toContain('POST /api/me/notifications/n1/read');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Notifications' })).toBeInTheDocument());
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('marks everything read, and a read notification is not marked again', async () => {
    items = [note({}), note({ id: 'n2', read_at: '2026-11-20T10:00:00Z', link: null })];
    unread = 1;
    const user = userEvent.setup();
    renderMenu();

    await user.click(await screen.findByRole('button', { name: 'Notifications, 1 unread' }, slow));
    const markAll = await screen.findByRole('button', { name: 'Mark all as read' });
    await user.click(markAll);

    await waitFor(() => expect(screen.getByRole('button', { name: 'Notifications' })).toBeInTheDocument());
    expect(calls).toContain('POST /api/me/notifications/read-all');
    expect(bodies).toEqual([JSON.stringify({ until: items[0].created_at })]); // the newest shown
    await waitFor(() => expect(screen.getByRole('button', { name: 'Mark all as read' })).toBeDisabled());

    const [, readOne] = await screen.findAllByTestId('notification-item');
    await user.click(readOne);
    expect(calls.filter((call) => call.endsWith('/n2/read'))).toHaveLength(0);
    expect(screen.getByTestId('location')).toHaveTextContent('/home'); // no link: stays
  });

  it('says when there is nothing yet, and shows an error with a retry', async () => {
    items = [];
    const user = userEvent.setup();
    renderMenu();

    await user.click(await screen.findByRole('button', { name: 'Notifications' }, slow));
    expect(await screen.findByTestId('notifications-empty')).toHaveTextContent('No notifications yet');
    expect(screen.getByRole('button', { name: 'Mark all as read' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Notifications' }));
    listStatus = 500;
    items = [note({})];
    await user.click(screen.getByRole('button', { name: 'Notifications' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("Couldn't load notifications");
    listStatus = 200;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findAllByTestId('notification-item')).toHaveLength(1);
  });

  it('is reachable and opens with the keyboard', async () => {
    unread = 3;
    items = [note({})];
    const user = userEvent.setup();
    renderMenu();

    await screen.findByRole('button', { name: 'Notifications, 3 unread' }, slow);
    await user.tab();
    expect(screen.getByRole('button', { name: 'Notifications, 3 unread' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('dialog', { name: 'Notifications' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});

describe('bell label and times', () => {
  it('says how many are unread', () => {
    expect(bellLabel(0)).toBe('Notifications');
    expect(bellLabel(3)).toBe('Notifications, 3 unread');
  });

  it('says how long ago', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    expect(timeAgo('2026-11-23T11:59:40Z', now)).toBe('just now');
    expect(timeAgo('2026-11-23T11:15:00Z', now)).toBe('45 min ago');
    expect(timeAgo('2026-11-23T09:00:00Z', now)).toBe('3 h ago');
    expect(timeAgo('2026-11-22T09:00:00Z', now)).toBe('yesterday');
    expect(timeAgo('2026-11-19T12:00:00Z', now)).toBe('4 days ago');
    expect(timeAgo('not a date', now)).toBe('');
  });
});
