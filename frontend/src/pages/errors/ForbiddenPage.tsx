import { Button, Center, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { ROLE_LABELS } from '../../auth/roles';
import { useSession } from '../../auth/session';
import { usePageTitle } from '../../components/usePageTitle';

/** Shown inside the shell when a signed-in user opens a page their role cannot use. */
export function ForbiddenPage() {
  usePageTitle('No access');
  const { user } = useSession();
  return (
    <Center py={64} data-testid="forbidden-page">
      <Stack align="center" gap="sm" maw={520} ta="center">
        <ThemeIcon size={56} radius="xl" variant="light" color="red" aria-hidden>
          <IconLock size={28} />
        </ThemeIcon>
        <Text fw={700} c="dimmed" size="sm">
          Error 403
        </Text>
        <Title order={1}>You don't have access to this page</Title>
        <Text c="dimmed">
          {user ? `Your account is a ${ROLE_LABELS[user.role].toLowerCase()} account, and this page is for other roles.` : 'This page is for other roles.'}{' '}
          If you think you should have access, ask a Pathshala admin.
        </Text>
        <Button component={Link} to="/home" mt="sm">
          Back to home
        </Button>
      </Stack>
    </Center>
  );
}
