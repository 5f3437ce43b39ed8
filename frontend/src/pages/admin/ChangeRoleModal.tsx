import { useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { useChangeUserRole } from '../../api/admin';
import { isApiError } from '../../api/client';
import type { Role, User } from '../../api/types';
import { ROLE_LABELS } from '../../auth/roles';
import { SESSION_KEY } from '../../auth/session';
import { describeError } from '../../components/formErrors';

const ROLE_ORDER: Role[] = ['student', 'teacher', 'instructor', 'admin'];

/** Titles for refusals an admin can act on; anything else shows the server's sentence. */
const REFUSAL_TITLES: Record<string, string> = {
  last_admin: 'This is the last admin',
  user_banned: 'This account is suspended',
};

/**
 * Give a user another role. The server refuses to demote the last admin (409 `last_admin`),
 * which is shown as such; demoting yourself takes you out of the admin pages.
 */
export function ChangeRoleModal({ user, isSelf, onClose }: { user: User | null; isSelf: boolean; onClose: () => void }) {
  const change = useChangeUserRole();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [role, setRole] = useState<Role>('student');
  const [error, setError] = useState<unknown>(null);

  const userId = user?.id;
  useEffect(() => {
    if (user) {
      setRole(user.role);
      setError(null);
      change.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [userId]);

  const refusal = isApiError(error) ? REFUSAL_TITLES[error.code] : undefined;
  const stepsDown = isSelf && user?.role === 'admin' && role !== 'admin';

  return (
    <Modal opened={Boolean(user)} onClose={() => !change.isPending && onClose()} title="Change role" centered size="md">
      {user && (
        <form
          noValidate
          aria-label={`Change the role of ${user.name}`}
          onSubmit={(event) => {
            event.preventDefault();
            setError(null);
            change.mutate(
              { userId: user.id, role },
              {
                onSuccess: (changed) => {
                  notifications.show({
                    color: 'teal',
                    title: 'Role changed',
                    message: `${changed.name} is now ${ROLE_LABELS[changed.role].toLowerCase()}. It applies to their open sessions at once.`,
                  });
                  onClose();
                  if (stepsDown) {
                    void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
                    navigate('/home', { replace: true });
                  }
                },
                onError: setError,
              },
            );
          }}
        >
          <Stack gap="md">
            <Text size="sm">
              <strong>{user.name}</strong> ({user.email}) is {ROLE_LABELS[user.role].toLowerCase()} now.
            </Text>
            <NativeSelect
              label="New role"
              data={ROLE_ORDER.map((value) => ({ value, label: ROLE_LABELS[value] }))}
              value={role}
              onChange={(event) => {
                setRole(event.currentTarget.value as Role);
                setError(null);
              }}
              data-autofocus
            />
            {stepsDown && (
              <Alert color="yellow" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="status">
                You are changing your own role: you will lose access to the admin pages.
              </Alert>
            )}
            {error !== null && (
              <Alert
                color="red"
                variant="light"
                icon={<IconAlertCircle size={20} aria-hidden />}
                role="alert"
                title={refusal ?? 'The role was not changed'}
              >
                {describeError(error)}
              </Alert>
            )}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose} disabled={change.isPending}>
                Cancel
              </Button>
              <Button type="submit" loading={change.isPending} disabled={role === user.role}>
                Change role
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
