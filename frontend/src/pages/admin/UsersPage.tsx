import { useState } from 'react';
import { Stack, Text, Title } from '@mantine/core';
import { usePageTitle } from '../../components/usePageTitle';
import { CreateTeacherCard } from './CreateTeacherCard';
import { UsersTable } from './UsersTable';

export function UsersPage() {
  usePageTitle('Users & teachers');
  const [lastCreated, setLastCreated] = useState<string | undefined>();
  return (
    <Stack gap="xl">
      <div>
        <Title order={1}>Users & teachers</Title>
        <Text c="dimmed" mt={6}>
          Add teachers and find anyone with a Pathshala account.
        </Text>
      </div>
      <CreateTeacherCard onCreated={(user) => setLastCreated(user.id)} />
      <UsersTable highlightId={lastCreated} />
    </Stack>
  );
}
