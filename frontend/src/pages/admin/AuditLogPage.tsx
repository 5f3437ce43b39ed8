import { useEffect, useState } from 'react';
import { Badge, Card, Group, NativeSelect, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useAuditLog } from '../../api/audit';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { TablePager } from '../../components/TablePager';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDateTime } from '../payments/paymentLabels';
import { ACTION_FAMILIES, actionLabel, describeChange } from './auditFormat';

/** /admin/audit: every audited action, newest first; nothing here can be changed. */
export function AuditLogPage() {
  usePageTitle('Audit log');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [action, from, to]);
  const rangeError = from && to && from > to ? "'To' is before 'From'" : null;
  const log = useAuditLog({ page, action, from: rangeError ? undefined : from, to: rangeError ? undefined : to });
  const pages = log.data ? Math.max(1, Math.ceil(log.data.total / log.data.per_page)) : 1;

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Audit log</Title>
        <Text c="dimmed" mt={6}>
          Role changes, bans, manual payments, refunds, certificate revocations and courses taken off the catalog: who, when and from where. Entries are never
          changed or removed.
        </Text>
      </div>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <NativeSelect label="Show" data={ACTION_FAMILIES} value={action} onChange={(e) => setAction(e.currentTarget.value)} w={{ base: '100%', xs: 240 }} />
        <TextInput label="From" type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput label="To" type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.currentTarget.value)} error={rangeError} />
      </Group>

      {log.isPending ? (
        <Stack gap="xs" aria-busy="true" aria-label="Loading the audit log">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} height={44} />
          ))}
        </Stack>
      ) : log.isError ? (
        <QueryError error={log.error} onRetry={() => void log.refetch()} title="Couldn't load the audit log" />
      ) : log.data.items.length === 0 ? (
        <EmptyState icon={IconHistory} title="Nothing recorded" testId="audit-empty">
          {action || from || to ? 'No entries match these filters.' : 'Audited actions appear here as admins and teachers take them.'}
        </EmptyState>
      ) : (
        <Card padding={0}>
          <Table.ScrollContainer minWidth={820}>
            <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="audit-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">When</Table.Th>
                  <Table.Th scope="col">Who</Table.Th>
                  <Table.Th scope="col">What</Table.Th>
                  <Table.Th scope="col">Details</Table.Th>
                  <Table.Th scope="col">From</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {log.data.items.map((event) => (
                  <Table.Tr key={event.id} data-testid="audit-row" data-action={event.action}>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(event.created_at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {event.actor ? (
                        <>
                          <Text size="sm" fw={600}>
                            {event.actor.name}
                          </Text>
                          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                            {event.actor.email}
                          </Text>
                        </>
                      ) : (
                        <Badge variant="light" color="gray">
                          System
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {actionLabel(event.action)}
                      </Text>
                      <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                        {event.target_type} {event.target_id}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                        {describeChange(event) || '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {event.ip_address ?? '—'}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <TablePager page={page} totalPages={pages} onPage={setPage} label="Audit log pages" />
    </Stack>
  );
}
