import { useId, useState } from 'react';
import {
  ActionIcon,
  Box,
  Button,
  Group,
  Indicator,
  Loader,
  Popover,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { IconBell, IconChecks } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import {
  type AppNotification,
  useMarkAllRead,
  useMarkRead,
  useRecentNotifications,
  useUnreadCount,
} from '../api/notifications';
import { QueryError } from './QueryError';

/** "just now", "5 min ago", "3 h ago", "2 days ago", then the date. */
export function timeAgo(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return '';
  const minutes = Math.floor((now.getTime() - then.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 7) return days === 1 ? 'yesterday' : `${days} days ago`;
  return then.toLocaleDateString('en-IN', { day: 'numeric', month: 'short', year: 'numeric' });
}

export function bellLabel(unread: number): string {
  if (unread <= 0) return 'Notifications';
  return `Notifications, ${unread} unread`;
}

function NotificationItem({ item, onOpen }: { item: AppNotification; onOpen: (item: AppNotification) => void }) {
  const unread = item.read_at === null;
  return (
    <UnstyledButton
      onClick={() => onOpen(item)}
      data-testid="notification-item"
      data-unread={unread || undefined}
      aria-label={`${unread ? 'Unread: ' : ''}${item.title}`}
      aria-describedby={`notification-${item.id}-body`}
      px="sm"
      py={10}
      style={{
        display: 'block',
        width: '100%',
        borderRadius: 'var(--mantine-radius-sm)',
        background: unread ? 'var(--mantine-color-indigo-0)' : undefined,
      }}
    >
      <Group gap={8} wrap="nowrap" align="flex-start">
        <Box
          aria-hidden
          mt={7}
          w={8}
          h={8}
          style={{
            flex: 'none',
            borderRadius: 999,
            background: unread ? 'var(--mantine-color-indigo-6)' : 'transparent',
          }}
        />
        <Box style={{ minWidth: 0, flex: 1 }}>
          <Text size="sm" fw={unread ? 700 : 500} lineClamp={2}>
            {item.title}
          </Text>
          <Text id={`notification-${item.id}-body`} size="xs" c="dimmed" lineClamp={2} mt={2}>
            {item.body}
          </Text>
          <Text size="xs" c="dimmed" mt={4}>
            <time dateTime={item.created_at}>{timeAgo(item.created_at)}</time>
          </Text>
        </Box>
      </Group>
    </UnstyledButton>
  );
}

function NotificationList({
  recent,
  onOpen,
}: {
  recent: ReturnType<typeof useRecentNotifications>;
  onOpen: (item: AppNotification) => void;
}) {
  if (recent.isPending) {
    return (
      <Group justify="center" py="lg">
        <Loader size="sm" aria-label="Loading notifications" />
      </Group>
    );
  }
  if (recent.isError) {
    return <QueryError error={recent.error} onRetry={() => void recent.refetch()} title="Couldn't load notifications" />;
  }
  if (recent.data.items.length === 0) {
    return (
      <Text size="sm" c="dimmed" ta="center" py="lg" data-testid="notifications-empty">
        No notifications yet. We'll tell you here when you're enrolled, paid, graded or certified.
      </Text>
    );
  }
  return (
    <ScrollArea.Autosize mah="min(420px, 60vh)" type="auto" offsetScrollbars>
      <Stack gap={2} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label="Recent notifications">
        {recent.data.items.map((item) => (
          <li key={item.id}>
            <NotificationItem item={item} onOpen={onOpen} />
          </li>
        ))}
      </Stack>
    </ScrollArea.Autosize>
  );
}

/** The header's bell: the unread count (polled), and a popover with the latest notifications. */
export function NotificationsMenu() {
  const [opened, setOpened] = useState(false);
  const headingId = useId();
  const navigate = useNavigate();
  const unreadQuery = useUnreadCount();
  const recent = useRecentNotifications(opened);
  const markRead = useMarkRead();
  const markAllRead = useMarkAllRead();
  const unread = unreadQuery.data?.unread_count ?? 0;

  const open = (item: AppNotification) => {
    if (item.read_at === null) markRead.mutate(item.id);
    setOpened(false);
    if (item.link) navigate(item.link);
  };

  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      position="bottom-end"
      width={360}
      shadow="md"
      withinPortal
      trapFocus
      returnFocus
      // The header is fixed: the bell never scrolls away (and jsdom has no layout to tell).
      hideDetached={false}
      styles={{ dropdown: { maxWidth: 'calc(100vw - 16px)', padding: 'var(--mantine-spacing-xs)' } }}
    >
      {/* The target is the button itself: Popover puts aria-expanded on its child, which a
          plain wrapper (the badge's div) may not carry. */}
      <Indicator
        label={<span aria-hidden>{unread > 99 ? '99+' : unread}</span>}
        size={18}
        offset={6}
        color="red"
        disabled={unread === 0}
        withBorder
      >
        <Popover.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            radius="xl"
            aria-label={bellLabel(unread)}
            aria-haspopup="dialog"
            aria-expanded={opened}
            data-testid="notifications-bell"
            onClick={() => setOpened((value) => !value)}
          >
            <IconBell size={22} stroke={1.7} aria-hidden />
          </ActionIcon>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown role="dialog" aria-labelledby={headingId}>
        <Group justify="space-between" px="xs" pb="xs" wrap="nowrap">
          <Text id={headingId} fw={700} size="sm" component="h2" m={0}>
            Notifications
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconChecks size={14} aria-hidden />}
            onClick={() => markAllRead.mutate(recent.data?.items[0]?.created_at ?? new Date().toISOString())}
            disabled={unread === 0}
            loading={markAllRead.isPending}
          >
            Mark all as read
          </Button>
        </Group>
        {markAllRead.isError && (
          <Text size="xs" c="red" px="xs" pb="xs" role="alert">
            Couldn't mark them as read. Try again.
          </Text>
        )}
        <NotificationList recent={recent} onOpen={open} />
      </Popover.Dropdown>
    </Popover>
  );
}
