import { useState } from 'react';
import {
  Alert,
  Avatar,
  Badge,
  Box,
  Button,
  Card,
  Group,
  Modal,
  PasswordInput,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconBrandGoogle, IconKey, IconLogout } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import * as authApi from '../../api/auth';
import { type NotificationKind, useNotificationPreferences, useSetEmailPreference } from '../../api/notifications';
import type { User } from '../../api/types';
import { ROLE_COLORS, ROLE_LABELS } from '../../auth/roles';
import { SESSION_KEY, useSession, useSignOut } from '../../auth/session';
import { ImageUploadField } from '../../components/ImageUploadField';
import { applyServerErrors, describeError } from '../../components/formErrors';
import { validateNewPassword } from '../../components/passwordStrength';
import { PasswordWithStrength } from '../../components/PasswordWithStrength';
import { QueryError } from '../../components/QueryError';
import { usePageTitle } from '../../components/usePageTitle';

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleDateString('en-IN', { day: 'numeric', month: 'short', year: 'numeric' });
}

function FormAlert({ message, title }: { message: string | null; title: string }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title={title}>
      {message}
    </Alert>
  );
}

function ProfileCard({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: user.name },
    validate: {
      name: (v) => (!v.trim() ? 'Enter your name' : v.trim().length > 120 ? 'Use at most 120 characters' : null),
    },
  });
  const save = useMutation({
    mutationFn: (name: string) => authApi.updateMe({ name }),
    onSuccess: (updated) => {
      queryClient.setQueryData(SESSION_KEY, updated);
      form.setInitialValues({ name: updated.name });
      form.setValues({ name: updated.name });
      notifications.show({ color: 'teal', title: 'Profile saved', message: 'Your name has been updated.' });
    },
    onError: (error) => setFormError(applyServerErrors(form, error)),
  });

  return (
    <Card>
      <Title order={2}>Profile</Title>
      <Text size="sm" c="dimmed" mt={4}>
        Your name appears on your courses and certificates.
      </Text>
      <Box mt="lg">
        <ImageUploadField
          purpose="avatar"
          currentUrl={user.avatar_url}
          placeholder={
            <Avatar color="indigo" radius={999} size={96} aria-label="No picture yet">
              {user.name.slice(0, 1).toUpperCase()}
            </Avatar>
          }
          frame={(src) => <Avatar src={src} radius={999} size={96} alt="Your picture" />}
          buttonLabel={user.avatar_url ? 'Change picture' : 'Add a picture'}
          onUploaded={() => void queryClient.invalidateQueries({ queryKey: SESSION_KEY })}
        />
      </Box>
      <SimpleGrid cols={{ base: 1, xs: 3 }} mt="lg" spacing="md">
        <div>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            Email
          </Text>
          <Text size="sm" mt={2} style={{ wordBreak: 'break-all' }}>
            {user.email}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            Role
          </Text>
          <Badge mt={4} variant="light" color={ROLE_COLORS[user.role]}>
            {ROLE_LABELS[user.role]}
          </Badge>
        </div>
        <div>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            Member since
          </Text>
          <Text size="sm" mt={2}>
            {formatDate(user.created_at)}
          </Text>
        </div>
      </SimpleGrid>
      <Group gap="xs" mt="md">
        <Text size="sm" c="dimmed">
          Sign-in methods:
        </Text>
        {user.has_password && (
          <Badge variant="outline" color="gray" leftSection={<IconKey size={12} aria-hidden />}>
            Password
          </Badge>
        )}
        {user.google_linked && (
          <Badge variant="outline" color="gray" leftSection={<IconBrandGoogle size={12} aria-hidden />}>
            Google
          </Badge>
        )}
      </Group>

      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          save.mutate(values.name.trim());
        })}
      >
        <Stack gap="md" mt="lg">
          <FormAlert message={formError} title="We couldn't save your profile" />
          <TextInput label="Full name" autoComplete="name" required {...form.getInputProps('name')} maw={420} />
          <Group>
            <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function PasswordCard({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const needsCurrent = user.has_password;
  const form = useForm({
    mode: 'controlled',
    initialValues: { current_password: '', new_password: '', confirm: '' },
    validate: {
      current_password: (v) => (needsCurrent && !v ? 'Enter your current password' : null),
      new_password: (v, values) =>
        validateNewPassword(v) ?? (needsCurrent && v === values.current_password ? 'Choose a password different from the current one' : null),
      confirm: (v, values) => (!v ? 'Repeat the new password' : v !== values.new_password ? 'The passwords do not match' : null),
    },
  });
  const change = useMutation({
    mutationFn: (values: typeof form.values) =>
      authApi.changePassword({
        ...(needsCurrent ? { current_password: values.current_password } : {}),
        new_password: values.new_password,
      }),
    onSuccess: () => {
      form.reset();
      void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
      notifications.show({ color: 'teal', title: 'Password changed', message: 'Use your new password next time you log in.' });
    },
    // A wrong current password comes back as a field error on current_password.
    onError: (error) => setFormError(applyServerErrors(form, error)),
  });

  return (
    <Card>
      <Title order={2}>{needsCurrent ? 'Change password' : 'Set a password'}</Title>
      <Text size="sm" c="dimmed" mt={4}>
        {needsCurrent
          ? 'Use at least 8 characters. A longer passphrase is easier to remember and harder to guess.'
          : 'You sign in with Google. Set a password to also log in with your email.'}
      </Text>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          change.mutate(values);
        })}
      >
        <Stack gap="md" mt="lg" maw={420}>
          <FormAlert message={formError} title="We couldn't change your password" />
          {needsCurrent && (
            <PasswordInput label="Current password" autoComplete="current-password" required {...form.getInputProps('current_password')} />
          )}
          <PasswordWithStrength label="New password" required {...form.getInputProps('new_password')} value={form.values.new_password} />
          <PasswordInput label="Repeat new password" autoComplete="new-password" required {...form.getInputProps('confirm')} />
          <Group>
            <Button type="submit" loading={change.isPending}>
              {needsCurrent ? 'Change password' : 'Set password'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** A switch per kind of notification: whether it also comes by mail (in-app always). */
function EmailNotificationsCard() {
  const preferences = useNotificationPreferences();
  const setPreference = useSetEmailPreference();
  const [saving, setSaving] = useState<NotificationKind | null>(null);

  return (
    <Card>
      <Title order={2}>Email notifications</Title>
      <Text size="sm" c="dimmed" mt={4}>
        Choose what we also tell you by email. You always see every notification under the bell at the top.
      </Text>
      {setPreference.isError && (
        <Alert mt="md" color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="We couldn't save that">
          {describeError(setPreference.error)}
        </Alert>
      )}
      <Stack gap="md" mt="lg" maw={480} data-testid="email-preferences">
        {preferences.isPending &&
          [0, 1, 2].map((row) => <Skeleton key={row} height={24} radius="sm" aria-hidden />)}
        {preferences.isError && (
          <QueryError error={preferences.error} onRetry={() => void preferences.refetch()} title="Couldn't load your email settings" />
        )}
        {preferences.data?.items.map((preference) => (
          <Switch
            key={preference.kind}
            label={preference.label}
            checked={preference.email_enabled}
            disabled={saving === preference.kind}
            onChange={(event) => {
              const emailEnabled = event.currentTarget.checked;
              setSaving(preference.kind);
              setPreference.mutate(
                { kind: preference.kind, email_enabled: emailEnabled },
                { onSettled: () => setSaving(null) },
              );
            }}
          />
        ))}
      </Stack>
    </Card>
  );
}

function DevicesCard() {
  const [opened, { open, close }] = useDisclosure(false);
  const signOutAll = useSignOut('all-devices');
  return (
    <Card>
      <Title order={2}>Devices</Title>
      <Text size="sm" c="dimmed" mt={4}>
        Signed in on a shared or lost device? Sign out everywhere, including this browser.
      </Text>
      {signOutAll.isError && (
        <Alert mt="md" color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="Sign-out failed">
          {describeError(signOutAll.error)}
        </Alert>
      )}
      <Group mt="lg">
        <Button color="red" variant="outline" leftSection={<IconLogout size={16} aria-hidden />} onClick={open}>
          Sign out of all devices
        </Button>
      </Group>
      <Modal opened={opened} onClose={close} title="Sign out of all devices?" centered>
        <Text size="sm">
          Every session of your account will end, on every phone and computer, including this one. You'll need to log in again.
        </Text>
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={signOutAll.isPending}
            onClick={() => signOutAll.mutate(undefined, { onSettled: close })}
          >
            Sign out everywhere
          </Button>
        </Group>
      </Modal>
    </Card>
  );
}

export function AccountPage() {
  usePageTitle('Account');
  const { user } = useSession();
  if (!user) return null;
  return (
    <Stack gap="xl">
      <div>
        <Title order={1}>Account</Title>
        <Text c="dimmed" mt={6}>
          Manage your profile, password, email notifications and sessions.
        </Text>
      </div>
      <ProfileCard user={user} />
      <PasswordCard user={user} />
      <EmailNotificationsCard />
      <DevicesCard />
    </Stack>
  );
}
