import type { OrderStatus, PaymentMethod, PaymentStatus } from '../../api/payments';

/** How an order's status reads to the person who placed it. */
export const ORDER_STATUS: Record<OrderStatus, { label: string; color: string }> = {
  created: { label: 'Awaiting payment', color: 'yellow' },
  attempted: { label: 'Awaiting payment', color: 'yellow' },
  paid: { label: 'Paid', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  expired: { label: 'Expired', color: 'gray' },
  refunded: { label: 'Refunded', color: 'grape' },
};

export const PAYMENT_STATUS: Record<PaymentStatus, { label: string; color: string }> = {
  paid: { label: 'Paid', color: 'teal' },
  partially_refunded: { label: 'Partly refunded', color: 'orange' },
  refunded: { label: 'Refunded', color: 'grape' },
};

export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  razorpay: 'Razorpay',
  sandbox: 'Sandbox (test)',
  stripe: 'Stripe',
  manual: 'Manual (bank transfer, cash…)',
};

/** Short method names for tables. */
export const PAYMENT_METHOD_SHORT: Record<PaymentMethod, string> = {
  razorpay: 'Razorpay',
  sandbox: 'Sandbox',
  stripe: 'Stripe',
  manual: 'Manual',
};

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleString('en-IN', { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit' });
}
