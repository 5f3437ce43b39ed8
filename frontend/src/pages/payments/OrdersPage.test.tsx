import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import { __resetClientStateForTests } from '../../api/client';
import type { Order } from '../../api/payments';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { OrdersPage } from './OrdersPage';

function order(overrides: Partial<Order>): Order {
  return {
    id: 'o1',
    order_id: 'order_sbx_1',
    provider: 'sandbox',
    status: 'paid',
    amount: 149900,
    currency: 'INR',
    receipt_number: 3,
    receipt_label: 'PS-000003',
    course: { id: 'c1', title: 'Botanical Illustration', slug: 'botanical' },
    payment: { id: 'p1', method: 'sandbox', status: 'paid', amount: 149900, amount_refunded: 0, currency: 'INR', provider_payment_id: 'pay_1', paid_at: '2026-11-23T10:00:00Z' },
    created_at: '2026-11-23T09:59:00Z',
    paid_at: '2026-11-23T10:00:00Z',
    ...overrides,
  };
}

describe('OrdersPage', () => {
  let items: Order[] = [];
  beforeEach(() => {
    __resetClientStateForTests();
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input) => {
        const url = String(input);
        if (url.startsWith('/api/payments/orders')) return jsonResponse(200, { items, total: items.length, page: 1, per_page: 20 });
        return jsonResponse(404, { code: 'not_found', message: url });
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it('lists orders with amount, status and receipt, and highlights the one just paid', async () => {
    items = [
      order({}),
      order({ id: 'o2', order_id: 'order_sbx_2', status: 'failed', receipt_number: null, receipt_label: null, payment: null, paid_at: null }),
      order({
        id: 'o3',
        order_id: null,
        provider: 'manual',
        receipt_label: 'PS-000004',
        payment: { id: 'p3', method: 'manual', status: 'partially_refunded', amount: 149900, amount_refunded: 20000, currency: 'INR', provider_payment_id: 'UTR1', paid_at: '2026-11-23T10:00:00Z' },
      }),
    ];
    renderWithProviders(<OrdersPage />, { route: '/orders?order=order_sbx_1' });
    const cards = await screen.findAllByTestId('order');
    expect(cards).toHaveLength(3);
    expect(within(cards[0]).getByTestId('order-status')).toHaveTextContent('Paid');
    expect(within(cards[0]).getByTestId('order-amount')).toHaveTextContent('₹1,499');
    expect(within(cards[0]).getByTestId('order-receipt')).toHaveTextContent('PS-000003');
    expect(within(cards[0]).getByRole('link', { name: 'Go to course' })).toHaveAttribute('href', '/learn/botanical');
    expect(cards[0].getAttribute('style') ?? '').toContain('indigo');
    expect(within(cards[1]).getByTestId('order-status')).toHaveTextContent('Failed');
    expect(within(cards[1]).getByTestId('order-receipt')).toHaveTextContent('—');
    expect(within(cards[2]).getByTestId('order-status')).toHaveTextContent('Partly refunded');
    expect(cards[2]).toHaveTextContent('₹200');
    const receipt = within(cards[0]).getByRole('link', { name: 'Download receipt (PDF)' });
    expect(receipt).toHaveAttribute('href', '/api/payments/orders/o1/receipt.pdf');
    expect(receipt).toHaveAttribute('download', 'pathshala-receipt-PS-000003.pdf');
    expect(within(cards[1]).queryByRole('link', { name: 'Download receipt (PDF)' })).toBeNull();
    expect(within(cards[2]).getByRole('link', { name: 'Download receipt (PDF)' })).toHaveAttribute('href', '/api/payments/orders/o3/receipt.pdf');
  });

  it('says when there is nothing yet', async () => {
    items = [];
    renderWithProviders(<OrdersPage />, { route: '/orders' });
    expect(await screen.findByTestId('orders-empty')).toHaveTextContent('No purchases yet');
    expect(screen.getByRole('link', { name: 'Browse courses' })).toHaveAttribute('href', '/courses');
  });
});
