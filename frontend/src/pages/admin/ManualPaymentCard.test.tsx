import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { __resetClientStateForTests } from '../../api/client';
import { jsonResponse, renderWithProviders, sampleUser } from '../../test/render';
import { ManualPaymentCard } from './ManualPaymentCard';

const course = (id: string, title: string, price: number) => ({
  id,
  slug: title.toLowerCase().replace(/\s+/g, '-'),
  title,
  subtitle: '',
  price,
  currency: 'INR',
  level: 'beginner',
  category: 'Art',
  language: 'English',
  thumbnail_ref: null,
  is_published: true,
  is_free: price === 0,
  published_at: null,
  archived_at: null,
  instructor_id: 'a1',
  instructor: { id: 'a1', name: 'Ila Sen' },
  created_at: '',
  updated_at: '',
  lesson_count: 1,
  total_duration_seconds: 60,
  enrollment_count: 0,
});

const PAID = course('c-paid', 'Botanical Illustration', 149950);
const FREE = course('c-free', 'Watercolour Basics', 0);

describe('ManualPaymentCard', () => {
  let posted: unknown[] = [];

  beforeEach(() => {
    __resetClientStateForTests();
    posted = [];
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input, init) => {
        const url = String(input);
        if (url === '/api/auth/me') return jsonResponse(200, { ...sampleUser, role: 'admin' });
        if (url.startsWith('/api/admin/users?')) {
          const q = new URL(url, 'http://x').searchParams.get('q');
          const items = q === 'asha' ? [{ ...sampleUser, id: 'u-asha' }] : [];
          return jsonResponse(200, { items, total: items.length, page: 1, per_page: 10 });
        }
        if (url.startsWith('/api/studio/courses')) return jsonResponse(200, { items: [PAID, FREE], total: 2, page: 1, per_page: 100 });
        if (url === '/api/payments/manual-record' && init?.method === 'POST') {
          const body = JSON.parse(String(init.body)) as Record<string, unknown>;
          posted.push(body);
          return jsonResponse(201, {
            id: 'p1',
            method: 'manual',
            status: 'paid',
            amount: body.amount,
            amount_refunded: 0,
            currency: 'INR',
            provider_payment_id: body.provider_payment_id ?? null,
            paid_at: '2026-11-23T10:00:00Z',
            order_id: 'o1',
            provider_order_id: null,
            receipt_number: 12,
            receipt_label: 'PS-000012',
            order_status: 'paid',
            user_id: 'u9',
            user: body.user_id ? { id: body.user_id, name: sampleUser.name, email: sampleUser.email } : { id: 'u9', name: body.name, email: body.email },
            course_id: PAID.id,
            course: { id: PAID.id, title: PAID.title, slug: PAID.slug },
            notes: body.notes ?? null,
            recorded_by_user_id: sampleUser.id,
            created_at: '2026-11-23T10:00:00Z',
            enrollment: { id: 'e1' },
            user_created: !body.user_id,
          });
        }
        return jsonResponse(404, { code: 'not_found', message: url });
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it('records a bank transfer for a new person: paise from rupees, the course price as default', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ManualPaymentCard />);

    await user.click(screen.getByText('New person'));
    await user.click(screen.getByRole('button', { name: 'Record payment' }));
    expect(await screen.findByText("Enter the payer's name")).toBeInTheDocument();
    expect(screen.getByText('Choose the course that was paid for')).toBeInTheDocument();
    expect(posted).toEqual([]);

    await user.type(screen.getByLabelText(/Payer's name/), 'Kiran Transfer');
    await user.type(screen.getByLabelText(/Payer's email/), 'kiran@example.com');
    await user.click(screen.getByRole('textbox', { name: /Course/ }));
    // Free courses are not offered: they are enrolled into, not paid for.
    expect(screen.queryByRole('option', { name: /Watercolour Basics/, hidden: true })).not.toBeInTheDocument();
    await user.click(await screen.findByRole('option', { name: /Botanical Illustration · ₹1,499.50/, hidden: true }));
    expect(screen.getByLabelText(/Amount received/)).toHaveValue('1499.50');
    await user.type(screen.getByLabelText(/UTR or payment reference/), 'HDFC0000123456');
    await user.type(screen.getByLabelText(/Notes/), 'NEFT, seen on statement');
    await user.click(screen.getByRole('button', { name: 'Record payment' }));

    expect(await screen.findByText('Payment recorded')).toBeInTheDocument();
    expect(screen.getByTestId('manual-payment-invited')).toHaveTextContent('We mailed kiran@example.com a link to set their password.');
    expect(posted).toEqual([
      {
        course_id: PAID.id,
        email: 'kiran@example.com',
        name: 'Kiran Transfer',
        amount: 149950,
        currency: 'INR',
        provider_payment_id: 'HDFC0000123456',
        notes: 'NEFT, seen on statement',
      },
    ]);
  });

  it('finds an existing student by email and records the payment for them', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ManualPaymentCard />);
    await user.type(screen.getByRole('textbox', { name: /Student/ }), 'asha');
    await user.click(await screen.findByRole('option', { name: 'Asha Rao · asha@example.com', hidden: true }));
    await user.click(screen.getByRole('textbox', { name: /Course/ }));
    await user.click(await screen.findByRole('option', { name: /Botanical Illustration/, hidden: true }));
    await user.clear(screen.getByLabelText(/Amount received/));
    await user.type(screen.getByLabelText(/Amount received/), '1,000');
    await user.click(screen.getByRole('button', { name: 'Record payment' }));

    expect(await screen.findByText('Payment recorded')).toBeInTheDocument();
    expect(screen.queryByTestId('manual-payment-invited')).not.toBeInTheDocument();
    expect(posted).toEqual([{ course_id: PAID.id, user_id: 'u-asha', amount: 100000, currency: 'INR' }]);
  });

  it('refuses an amount that is not a price', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ManualPaymentCard />);
    await user.click(screen.getByText('New person'));
    const amount = screen.getByLabelText(/Amount received/);
    await user.type(amount, '12.345');
    await user.click(screen.getByRole('button', { name: 'Record payment' }));
    expect(await screen.findByText('Use at most two digits after the decimal point (paise)')).toBeInTheDocument();
    await user.clear(amount);
    await user.type(amount, '0');
    await user.click(screen.getByRole('button', { name: 'Record payment' }));
    expect(await screen.findByText('Enter the amount received')).toBeInTheDocument();
    expect(posted).toEqual([]);
  });
});
