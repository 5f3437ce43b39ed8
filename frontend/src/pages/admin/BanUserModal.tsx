import { useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconBan } from '@tabler/icons-react';
import { useBanUser } from '../../api/admin';
import type { User } from '../../api/types';
import { applyServerErrors } from '../../components/formErrors';

export const REASON_MIN = 3;
export const REASON_MAX = 500;

export function validateBanReason(value: string): string | null {
  const reason = value.trim();
  if (reason.length < REASON_MIN) return 'Say why, in at least 3 characters';
  if (reason.length > REASON_MAX) return `Keep the reason under ${REASON_MAX} characters`;
  return null;
}

/**
 * Suspend an account, with a reason other admins will see and the audit log keeps. Says plainly
 * what happens: the person is signed out on every device and cannot sign in until unbanned.
 */
export function BanUserModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const ban = useBanUser();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { reason: '' },
    validate: { reason: validateBanReason },
  });

  const userId = user?.id;
  useEffect(() => {
    if (userId) {
      form.setValues({ reason: '' });
      form.resetDirty();
      form.clearErrors();
      setFormError(null);
      ban.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [userId]);

  return (
    <Modal opened={Boolean(user)} onClose={() => !ban.isPending && onClose()} title="Ban user" centered size="md">
      {user && (
        <form
          noValidate
          aria-label={`Ban ${user.name}`}
          onSubmit={form.onSubmit((values) => {
            setFormError(null);
            ban.mutate(
              { userId: user.id, reason: values.reason.trim() },
              {
                onSuccess: (banned) => {
                  notifications.show({
                    color: 'teal',
                    title: 'Account suspended',
                    message: `${banned.name} is signed out everywhere and cannot sign in.`,
                  });
                  onClose();
                },
                onError: (error) => setFormError(applyServerErrors(form, error)),
              },
            );
          })}
        >
          <Stack gap="md">
            <Text size="sm">
              <strong>{user.name}</strong> ({user.email}) will be signed out on every device at once and cannot sign in
              until you unban them.
            </Text>
            <Textarea
              label="Reason"
              description="Other admins see it; the audit log keeps it."
              required
              autosize
              minRows={2}
              maxRows={5}
              maxLength={REASON_MAX + 50}
              data-autofocus
              {...form.getInputProps('reason')}
            />
            {formError && (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="The account was not suspended">
                {formError}
              </Alert>
            )}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose} disabled={ban.isPending}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={ban.isPending} leftSection={<IconBan size={16} aria-hidden />}>
                Ban user
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
