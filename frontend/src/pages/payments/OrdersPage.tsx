import { Anchor, Badge, Button, Card, Group, Pagination, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowRight, IconDownload, IconReceipt } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router-dom';
import { receiptPdfUrl, useMyOrders, type Order } from '../../api/payments';
import { EmptyState } from '../../components/EmptyState';
import { formatRupees } from '../../components/money';
import { QueryError } from '../../components/QueryError';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDateTime, ORDER_STATUS, PAYMENT_METHOD_SHORT, PAYMENT_STATUS } from './paymentLabels';

const PER_PAGE = 20;

function Detail({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: '0.03em' }}>
        {label}
      </Text>
      <Text size="sm" data-testid={testId} style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

function OrderCard({ order, highlighted }: { order: Order; highlighted: boolean }) {
  const status =
    order.payment && order.payment.status !== 'paid' ? PAYMENT_STATUS[order.payment.status] : (ORDER_STATUS[order.status] ?? { label: order.status, color: 'gray' });
  const refunded = order.payment?.amount_refunded ?? 0;
  const headingId = `order-${order.id}`;
  return (
    <Card
      component="article"
      aria-labelledby={headingId}
      data-testid="order"
      data-order-id={order.order_id ?? ''}
      bd={highlighted ? '2px solid var(--mantine-color-indigo-6)' : undefined}
    >
      <Group justify="space-between" align="flex-start" gap="sm" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Title order={2} fz={17} id={headingId} style={{ overflowWrap: 'anywhere' }}>
            <Anchor component={Link} to={`/courses/${order.course.slug}`} inherit c="dark.8">
              {order.course.title}
            </Anchor>
          </Title>
          <Badge mt={6} variant="light" color={status.color} data-testid="order-status">
            {status.label}
          </Badge>
        </div>
        <Text fw={800} fz={20} style={{ whiteSpace: 'nowrap' }} data-testid="order-amount">
          {formatRupees(order.amount)}
        </Text>
      </Group>
      <Group mt="md" gap="xl" align="flex-start" style={{ rowGap: 'var(--mantine-spacing-sm)' }}>
        <Detail label="Receipt" testId="order-receipt">
          {order.receipt_label ?? '—'}
        </Detail>
        <Detail label="Ordered">{formatDateTime(order.created_at)}</Detail>
        {order.paid_at && <Detail label="Paid">{formatDateTime(order.paid_at)}</Detail>}
        {order.payment && <Detail label="Method">{PAYMENT_METHOD_SHORT[order.payment.method] ?? order.payment.method}</Detail>}
        {refunded > 0 && <Detail label="Refunded">{formatRupees(refunded)}</Detail>}
      </Group>
      {(order.status === 'paid' || (order.status === 'refunded' && order.receipt_label)) && (
        <Group mt="md">
          {order.status === 'paid' && (
            <Button component={Link} to={`/learn/${order.course.slug}`} variant="light" size="xs" rightSection={<IconArrowRight size={14} aria-hidden />}>
              Go to course
            </Button>
          )}
          {order.receipt_label && (
            <Button
              component="a"
              href={receiptPdfUrl(order.id)}
              download={`pathshala-receipt-${order.receipt_label}.pdf`}
              variant="subtle"
              size="xs"
              leftSection={<IconDownload size={14} aria-hidden />}
              data-testid="order-receipt-pdf"
            >
              Download receipt (PDF)
            </Button>
          )}
        </Group>
      )}
      {(order.status === 'created' || order.status === 'attempted') && (
        <>
          <Text size="sm" c="dimmed" mt="sm">
            Not paid yet. If you did pay, don't pay again: the course unlocks as soon as the payment provider confirms the payment.
          </Text>
          <Group mt="sm">
            <Button component={Link} to={`/courses/${order.course.slug}`} variant="light" size="xs" rightSection={<IconArrowRight size={14} aria-hidden />}>
              Complete the purchase
            </Button>
          </Group>
        </>
      )}
    </Card>
  );
}

/** The signed-in person's orders: what they bought, for how much, with receipt numbers. */
export function OrdersPage() {
  usePageTitle('Purchases');
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const highlight = params.get('order');
  const query = useMyOrders({ page, per_page: PER_PAGE });
  const items = query.data?.items ?? [];
  const total = query.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / (query.data?.per_page || PER_PAGE)));

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Purchases</Title>
        <Text c="dimmed" mt={6}>
          Your course orders, with a receipt number for each one paid.
        </Text>
      </div>

      {query.isPending ? (
        <Stack gap="md" aria-busy="true" aria-label="Loading your purchases">
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} height={130} radius="lg" />
          ))}
        </Stack>
      ) : query.isError && !query.data ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't load your purchases" />
      ) : items.length === 0 ? (
        <EmptyState
          icon={IconReceipt}
          title="No purchases yet"
          testId="orders-empty"
          action={
            <Button component={Link} to="/courses" rightSection={<IconArrowRight size={16} aria-hidden />}>
              Browse courses
            </Button>
          }
        >
          When you buy a course, its order and receipt appear here.
        </EmptyState>
      ) : (
        <Stack gap="md" data-testid="orders" style={{ opacity: query.isPlaceholderData ? 0.6 : 1 }}>
          {items.map((order) => (
            <OrderCard key={order.id} order={order} highlighted={Boolean(highlight && order.order_id === highlight)} />
          ))}
        </Stack>
      )}

      {query.isError && query.data && <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't refresh your purchases" />}

      {pages > 1 && (
        <Group justify="center">
          <Pagination
            total={pages}
            value={page}
            onChange={(next) => setParams((p) => ({ ...Object.fromEntries(p), page: String(next) }))}
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
            getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
          />
        </Group>
      )}
    </Stack>
  );
}
