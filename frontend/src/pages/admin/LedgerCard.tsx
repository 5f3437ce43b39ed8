import { useEffect, useState } from 'react';
import {
  Badge,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconArrowBackUp, IconDownload, IconReceiptOff } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import {
  ledgerCsvUrl,
  useLedger,
  type LedgerParams,
  type PaymentMethod,
  type PaymentRecord,
  type PaymentStatus,
} from '../../api/payments';
import { listStudioCourses, studioKeys } from '../../api/studio';
import { formatRupees } from '../../components/money';
import { QueryError } from '../../components/QueryError';
import { TablePager } from '../../components/TablePager';
import { formatDateTime, PAYMENT_METHOD_SHORT, PAYMENT_STATUS } from '../payments/paymentLabels';
import { RefundModal } from './RefundModal';

const PER_PAGE = 20;
const COLUMNS = 7;

const METHOD_OPTIONS = [
  { value: '', label: 'All methods' },
  ...(['razorpay', 'manual', 'sandbox', 'stripe'] as const).map((m) => ({ value: m, label: PAYMENT_METHOD_SHORT[m] })),
];
const STATUS_OPTIONS = [
  { value: '', label: 'All statuses' },
  ...(['paid', 'partially_refunded', 'refunded'] as const).map((s) => ({ value: s, label: PAYMENT_STATUS[s].label })),
];

const COURSE_PARAMS = { page: 1, per_page: 100, sort: 'title' } as const;

function LoadingRows() {
  return (
    <>
      {Array.from({ length: 4 }, (_, i) => (
        <Table.Tr key={i}>
          {Array.from({ length: COLUMNS }, (__, j) => (
            <Table.Td key={j}>
              <Skeleton height={14} radius="sm" width="70%" />
            </Table.Td>
          ))}
        </Table.Tr>
      ))}
    </>
  );
}

function Row({ payment, onRefund, highlighted }: { payment: PaymentRecord; onRefund: () => void; highlighted: boolean }) {
  const status = PAYMENT_STATUS[payment.status] ?? { label: payment.status, color: 'gray' };
  const refundable = payment.amount - payment.amount_refunded;
  return (
    <Table.Tr bg={highlighted ? 'indigo.0' : undefined} data-testid="ledger-row">
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{formatDateTime(payment.paid_at)}</Text>
        <Text size="xs" c="dimmed">
          {payment.receipt_label ?? 'No receipt'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
          {payment.user.name}
        </Text>
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {payment.user.email}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {payment.course.title}
        </Text>
        <Text size="xs" c="dimmed">
          {PAYMENT_METHOD_SHORT[payment.method] ?? payment.method}
        </Text>
      </Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm" fw={600}>
          {formatRupees(payment.amount)}
        </Text>
        {payment.amount_refunded > 0 && (
          <Text size="xs" c="dimmed">
            −{formatRupees(payment.amount_refunded)} refunded
          </Text>
        )}
      </Table.Td>
      <Table.Td style={{ minWidth: 130 }}>
        <Badge variant="light" color={status.color} style={{ overflow: 'visible' }}>
          {status.label}
        </Badge>
      </Table.Td>
      <Table.Td maw={200}>
        <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
          {payment.provider_payment_id ?? '—'}
        </Text>
        {payment.notes && (
          <Text size="xs" c="dimmed" lineClamp={2} title={payment.notes}>
            {payment.notes}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {refundable > 0 ? (
          <Button
            size="xs"
            variant="default"
            leftSection={<IconArrowBackUp size={14} aria-hidden color="var(--mantine-color-red-8)" />}
            onClick={onRefund}
            aria-label={`Refund ${payment.user.name}'s payment for ${payment.course.title}`}
          >
            Refund
          </Button>
        ) : (
          <Text size="xs" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** Every payment, filterable, with totals, CSV export and the refund action. */
export function LedgerCard({ highlightId }: { highlightId?: string }) {
  const [method, setMethod] = useState<PaymentMethod | ''>('');
  const [status, setStatus] = useState<PaymentStatus | ''>('');
  const [courseId, setCourseId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const [refunding, setRefunding] = useState<PaymentRecord | null>(null);

  useEffect(() => setPage(1), [method, status, courseId, from, to]);

  const rangeError = from && to && from > to ? "'From' must be on or before 'To'" : null;
  const filters: LedgerParams = { method, status, course_id: courseId || undefined, from: from || undefined, to: rangeError ? undefined : to || undefined };
  const params: LedgerParams = { ...filters, page, per_page: PER_PAGE };
  const query = useLedger(params);
  const courses = useQuery({
    queryKey: studioKeys.list(COURSE_PARAMS),
    queryFn: ({ signal }) => listStudioCourses(COURSE_PARAMS, signal),
  });

  const total = query.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / (query.data?.per_page || PER_PAGE)));
  const filtered = Boolean(method || status || courseId || from || to);
  const totals = query.data?.totals;

  const clear = () => {
    setMethod('');
    setStatus('');
    setCourseId('');
    setFrom('');
    setTo('');
  };

  return (
    <Card component="section" aria-labelledby="ledger-heading">
      <Group justify="space-between" align="flex-end" gap="md">
        <div>
          <Title order={2} id="ledger-heading">
            Ledger
          </Title>
          <Text size="sm" c="dimmed" mt={4} aria-live="polite" data-testid="ledger-summary">
            {query.data && totals
              ? `${total} ${total === 1 ? 'payment' : 'payments'}${filtered ? (total === 1 ? ' matches your filters' : ' match your filters') : ''} · received ${formatRupees(totals.amount)}, refunded ${formatRupees(totals.amount_refunded)}, net ${formatRupees(totals.net)}`
              : 'Every payment received, newest first.'}
          </Text>
        </div>
        <Button
          component="a"
          href={ledgerCsvUrl(filters)}
          download
          variant="default"
          leftSection={<IconDownload size={16} aria-hidden />}
        >
          Export CSV
        </Button>
      </Group>

      <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="sm" mt="md">
        <TextInput label="From" type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput label="To" type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.currentTarget.value)} error={rangeError} />
        <Select label="Method" data={METHOD_OPTIONS} value={method} onChange={(v) => setMethod((v ?? '') as PaymentMethod | '')} allowDeselect={false} />
        <Select label="Status" data={STATUS_OPTIONS} value={status} onChange={(v) => setStatus((v ?? '') as PaymentStatus | '')} allowDeselect={false} />
        <Select
          label="Course"
          searchable
          data={[{ value: '', label: 'All courses' }, ...(courses.data?.items ?? []).map((c) => ({ value: c.id, label: c.title }))]}
          value={courseId}
          onChange={(v) => setCourseId(v ?? '')}
          allowDeselect={false}
          nothingFoundMessage="No course matches"
        />
      </SimpleGrid>

      <Stack mt="md" gap="md">
        {query.isError && !query.data ? (
          <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't load the ledger" />
        ) : query.data && query.data.items.length === 0 ? (
          <Stack align="center" gap={6} py="xl" ta="center" data-testid="ledger-empty">
            <IconReceiptOff size={36} aria-hidden color="var(--mantine-color-gray-6)" />
            <Text fw={600}>{filtered ? 'No payments match your filters' : 'No payments yet'}</Text>
            <Text size="sm" c="dimmed">
              {filtered ? 'Widen the dates or show every method and status.' : 'Payments appear here as students buy courses or you record them.'}
            </Text>
            {filtered && (
              <Button variant="light" size="xs" mt="xs" onClick={clear}>
                Clear filters
              </Button>
            )}
          </Stack>
        ) : (
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing="sm" highlightOnHover aria-busy={query.isFetching} data-testid="ledger-table" aria-label="Payments">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Paid · receipt</Table.Th>
                  <Table.Th scope="col">Student</Table.Th>
                  <Table.Th scope="col">Course · method</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Amount
                  </Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Reference / notes</Table.Th>
                  <Table.Th scope="col">
                    <Text span size="sm" fw={700}>
                      Action
                    </Text>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: query.isPlaceholderData ? 0.6 : 1 }}>
                {query.isPending ? (
                  <LoadingRows />
                ) : (
                  query.data?.items.map((payment) => (
                    <Row key={payment.id} payment={payment} highlighted={payment.id === highlightId} onRefund={() => setRefunding(payment)} />
                  ))
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}

        {query.isError && query.data && <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't refresh the ledger" />}

        <TablePager page={page} totalPages={pages} onPage={setPage} label="Payments pages" />
        <Text size="xs" c="dimmed">
          Dates are payment dates (UTC). Export CSV downloads every row matching the filters, for your accountant.
        </Text>
      </Stack>

      <RefundModal payment={refunding} onClose={() => setRefunding(null)} />
    </Card>
  );
}
