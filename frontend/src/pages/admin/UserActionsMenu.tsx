import { ActionIcon, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBan, IconDots, IconLockOpen, IconUserCog } from '@tabler/icons-react';
import { useUnbanUser } from '../../api/admin';
import type { User } from '../../api/types';
import { describeError } from '../../components/formErrors';

/**
 * One user's admin actions. Admins cannot be banned (demote them first), which also covers
 * yourself, so "Ban" is only offered for other roles; a suspended account offers "Unban".
 */
export function UserActionsMenu({
  user,
  onChangeRole,
  onBan,
}: {
  user: User;
  onChangeRole: (user: User) => void;
  onBan: (user: User) => void;
}) {
  const unban = useUnbanUser();
  const canBan = user.role !== 'admin' && !user.is_banned;

  const lift = () =>
    unban.mutate(user.id, {
      onSuccess: (unbanned) =>
        notifications.show({ color: 'teal', title: 'Suspension lifted', message: `${unbanned.name} can sign in again.` }),
      onError: (error) => notifications.show({ color: 'red', title: `Couldn't unban ${user.name}`, message: describeError(error) }),
    });

  return (
    <Menu position="bottom-end" withinPortal shadow="md">
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="lg" aria-label={`Actions for ${user.name}`} loading={unban.isPending}>
          <IconDots size={18} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconUserCog size={16} aria-hidden />} onClick={() => onChangeRole(user)}>
          Change role
        </Menu.Item>
        {user.is_banned ? (
          <Menu.Item leftSection={<IconLockOpen size={16} aria-hidden />} onClick={lift}>
            Unban
          </Menu.Item>
        ) : (
          canBan && (
            <Menu.Item color="red" leftSection={<IconBan size={16} aria-hidden />} onClick={() => onBan(user)}>
              Ban
            </Menu.Item>
          )
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
