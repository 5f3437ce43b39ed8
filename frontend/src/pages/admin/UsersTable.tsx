import { useEffect, useState } from 'react';
import {
  Avatar,
  Badge,
  Button,
  Card,
  Group,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch, IconUserSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { adminKeys, listUsers } from '../../api/admin';
import type { Role, User } from '../../api/types';
import { ROLE_COLORS, ROLE_LABELS } from '../../auth/roles';
import { useSession } from '../../auth/session';
import { initials } from '../../components/AppLayout';
import { QueryError } from '../../components/QueryError';
import { TablePager } from '../../components/TablePager';
import { formatDate } from '../account/AccountPage';
import { BanUserModal } from './BanUserModal';
import { ChangeRoleModal } from './ChangeRoleModal';
import { UserActionsMenu } from './UserActionsMenu';

const PER_PAGE = 20;
const COLUMNS = 6;

const ROLE_OPTIONS = [
  { value: '', label: 'All roles' },
  { value: 'student', label: 'Students' },
  { value: 'teacher', label: 'Teachers' },
  { value: 'instructor', label: 'Instructors' },
  { value: 'admin', label: 'Admins' },
];

/** The actions stay in view on a narrow screen, where the table scrolls sideways. */
const STICKY_CELL = { position: 'sticky', right: 0, background: 'var(--mantine-color-body)', width: 1 } as const;

function LoadingRows() {
  return (
    <>
      {Array.from({ length: 5 }, (_, i) => (
        <Table.Tr key={i}>
          {Array.from({ length: COLUMNS }, (__, j) => (
            <Table.Td key={j}>
              <Skeleton height={14} radius="sm" width={j === 0 ? '70%' : '55%'} />
            </Table.Td>
          ))}
        </Table.Tr>
      ))}
    </>
  );
}

export function UsersTable({ highlightId }: { highlightId?: string }) {
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const [role, setRole] = useState<Role | ''>('');
  const [page, setPage] = useState(1);
  const [changingRole, setChangingRole] = useState<User | null>(null);
  const [banning, setBanning] = useState<User | null>(null);
  const { user: me } = useSession();

  useEffect(() => setPage(1), [debouncedSearch, role]);

  const params = { q: debouncedSearch, role, page, per_page: PER_PAGE };
  const query = useQuery({
    queryKey: adminKeys.users(params),
    queryFn: ({ signal }) => listUsers(params, signal),
    placeholderData: keepPreviousData,
  });

  const total = query.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / (query.data?.per_page || PER_PAGE)));
  const filtered = Boolean(debouncedSearch || role);

  return (
    <Card>
      <Group justify="space-between" align="flex-end" gap="md">
        <div>
          <Title order={2}>All users</Title>
          <Text size="sm" c="dimmed" mt={4} aria-live="polite">
            {query.data ? `${total} ${total === 1 ? 'user' : 'users'}${filtered ? (total === 1 ? ' matches your filters' : ' match your filters') : ''}` : 'Everyone with a Pathshala account.'}
          </Text>
        </div>
      </Group>

      <Group mt="md" gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Search users"
          placeholder="Name or email"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          style={{ flex: '1 1 240px' }}
          type="search"
        />
        <Select
          label="Role"
          data={ROLE_OPTIONS}
          value={role}
          onChange={(value) => setRole((value ?? '') as Role | '')}
          allowDeselect={false}
          w={{ base: '100%', xs: 180 }}
        />
      </Group>

      <Stack mt="md" gap="md">
        {query.isError && !query.data ? (
          <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't load users" />
        ) : query.data && query.data.items.length === 0 ? (
          <Stack align="center" gap={6} py="xl" ta="center" data-testid="users-empty">
            <IconUserSearch size={36} aria-hidden color="var(--mantine-color-gray-6)" />
            <Text fw={600}>{filtered ? 'No users match your filters' : 'No users yet'}</Text>
            <Text size="sm" c="dimmed">
              {filtered ? 'Try another name or email, or show all roles.' : 'People who sign up will appear here.'}
            </Text>
            {filtered && (
              <Button
                variant="light"
                size="xs"
                mt="xs"
                onClick={() => {
                  setSearch('');
                  setRole('');
                }}
              >
                Clear filters
              </Button>
            )}
          </Stack>
        ) : (
          <Table.ScrollContainer minWidth={680}>
            <Table verticalSpacing="sm" highlightOnHover aria-busy={query.isFetching} data-testid="users-table" aria-label="Users">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Role</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Joined</Table.Th>
                  <Table.Th scope="col">Last sign-in</Table.Th>
                  <Table.Th scope="col" style={STICKY_CELL}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: query.isPlaceholderData ? 0.6 : 1 }}>
                {query.isPending ? (
                  <LoadingRows />
                ) : (
                  query.data?.items.map((user) => (
                    <Table.Tr key={user.id} bg={user.id === highlightId ? 'indigo.0' : undefined}>
                      <Table.Td>
                        <Group gap="sm" wrap="nowrap">
                          <Avatar size={32} radius="xl" color={ROLE_COLORS[user.role]} aria-hidden>
                            {initials(user.name)}
                          </Avatar>
                          <div style={{ minWidth: 0 }}>
                            <Text size="sm" fw={600} truncate>
                              {user.name}
                            </Text>
                            <Text size="xs" c="dimmed" truncate>
                              {user.email}
                            </Text>
                          </div>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={ROLE_COLORS[user.role]}>
                          {ROLE_LABELS[user.role]}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {user.is_banned ? (
                          <Stack gap={4} align="flex-start" maw={240}>
                            <Badge variant="light" color="red">
                              Suspended
                            </Badge>
                            {user.banned_reason && (
                              <Text size="xs" c="dimmed" lineClamp={2} title={user.banned_reason}>
                                <VisuallyHidden>Reason: </VisuallyHidden>
                                {user.banned_reason}
                              </Text>
                            )}
                          </Stack>
                        ) : (
                          <Text size="sm">Active</Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDate(user.created_at)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{user.last_login_at ? formatDate(user.last_login_at) : 'Never'}</Text>
                      </Table.Td>
                      <Table.Td style={{ ...STICKY_CELL, background: user.id === highlightId ? 'var(--mantine-color-indigo-0)' : STICKY_CELL.background }}>
                        <UserActionsMenu user={user} onChangeRole={setChangingRole} onBan={setBanning} />
                      </Table.Td>
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}

        {query.isError && query.data && (
          <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't refresh the list" />
        )}

        <TablePager page={page} totalPages={pages} onPage={setPage} label="Users pages" />
      </Stack>

      <ChangeRoleModal user={changingRole} isSelf={Boolean(changingRole && changingRole.id === me?.id)} onClose={() => setChangingRole(null)} />
      <BanUserModal user={banning} onClose={() => setBanning(null)} />
    </Card>
  );
}
