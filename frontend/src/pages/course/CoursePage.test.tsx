import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { __resetClientStateForTests } from '../../api/client';
import type { CourseDetail, OutlineLesson } from '../../api/courses';
import { jsonResponse, renderWithProviders, sampleUser } from '../../test/render';
import { CoursePage } from './CoursePage';

function lesson(position: number, overrides: Partial<OutlineLesson> = {}): OutlineLesson {
  return {
    id: `00000000-0000-4000-8000-00000000000${position}`,
    course_id: 'c1',
    section_title: position < 3 ? 'Getting started' : 'Colour',
    position,
    title: `Lesson ${position}`,
    description: '',
    description_html: '',
    is_free_preview: false,
    duration_seconds: 300,
    locked: true,
    ...overrides,
  };
}

const freeCourse: CourseDetail = {
  id: '0b9d3c1e-7a55-4b57-9a61-6f4e2f0c1a11',
  slug: 'watercolour-basics',
  title: 'Watercolour basics',
  subtitle: 'Paint loose, bright landscapes',
  description: 'Hello',
  description_html: '<p>Hello <strong>painters</strong></p>\n',
  price: 0,
  currency: 'INR',
  level: 'beginner',
  category: 'Art',
  language: 'English',
  thumbnail_ref: null,
  is_published: true,
  is_free: true,
  published_at: '2025-01-01T00:00:00Z',
  archived_at: null,
  instructor_id: 'a1',
  instructor: { id: 'a1', name: 'Ila Sen' },
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  lesson_count: 3,
  total_duration_seconds: 900,
  enrolled: false,
  can_edit: false,
  lessons: [lesson(1, { is_free_preview: true, locked: false }), lesson(2), lesson(3)],
};

describe('CoursePage', () => {
  let courseAnswer: () => Response;
  let signedIn = false;
  let enrollCalls = 0;
  let paymentCalls: string[] = [];

  beforeEach(() => {
    __resetClientStateForTests();
    signedIn = false;
    enrollCalls = 0;
    paymentCalls = [];
    courseAnswer = () => jsonResponse(200, freeCourse);
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input, init) => {
        const url = String(input);
        if (url === '/api/auth/me') return signedIn ? jsonResponse(200, sampleUser) : jsonResponse(401, { code: 'not_authenticated', message: 'x' });
        if (url.endsWith('/enroll') && init?.method === 'POST') {
          enrollCalls += 1;
          courseAnswer = () => jsonResponse(200, { ...freeCourse, enrolled: true, lessons: freeCourse.lessons.map((l) => ({ ...l, locked: false })) });
          return jsonResponse(201, { id: 'e1', user_id: sampleUser.id, course_id: freeCourse.id, source: 'free', status: 'active', created_at: '' });
        }
        if (url === '/api/config') return jsonResponse(200, { google_client_id: null, payment_sandbox: true, public_url: 'http://localhost' });
        if (url === '/api/payments/config') {
          return jsonResponse(200, { provider: 'sandbox', key_id: 'rzp_test_sandbox', sandbox: true, currency: 'INR', merchant_name: 'Pathshala' });
        }
        if (url.startsWith('/api/payments/') && init?.method === 'POST') {
          const path = url.slice('/api/payments/'.length);
          const body = JSON.parse(String(init.body ?? '{}')) as Record<string, string>;
          paymentCalls.push(path === 'sandbox/pay' ? `${path}:${body.outcome}` : path);
          if (path === 'create-order') {
            return jsonResponse(201, { order_id: 'order_sbx_1', amount: 149900, currency: 'INR', key_id: 'rzp_test_sandbox', provider: 'sandbox' });
          }
          if (path === 'sandbox/pay') {
            return body.outcome === 'success'
              ? jsonResponse(200, { outcome: 'success', razorpay_order_id: 'order_sbx_1', razorpay_payment_id: 'pay_sbx_1', razorpay_signature: 'sig' })
              : jsonResponse(200, { outcome: 'fail', error: { description: 'Payment failed (sandbox).' } });
          }
          if (path === 'confirm') {
            if (body.order_id !== 'cs_test_paid') return jsonResponse(409, { code: 'payment_not_captured', message: 'The checkout was not paid.' });
            courseAnswer = () =>
              jsonResponse(200, { ...freeCourse, price: 149900, is_free: false, enrolled: true, lessons: freeCourse.lessons.map((l) => ({ ...l, locked: false })) });
            return jsonResponse(200, { status: 'paid', enrollment: null, order: { order_id: 'cs_test_paid', status: 'paid', receipt_label: 'PS-000008' } });
          }
          if (path === 'verify') {
            courseAnswer = () =>
              jsonResponse(200, { ...freeCourse, price: 149900, is_free: false, enrolled: true, lessons: freeCourse.lessons.map((l) => ({ ...l, locked: false })) });
            return jsonResponse(200, { status: 'paid', enrollment: null, order: { order_id: 'order_sbx_1', status: 'paid', receipt_label: 'PS-000007' } });
          }
        }
        if (url.startsWith('/api/courses/')) return courseAnswer();
        return jsonResponse(401, { code: 'not_authenticated', message: 'x' });
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  function renderPage(ref = 'watercolour-basics', search = '') {
    return renderWithProviders(
      <Routes>
        <Route path="/courses/:ref" element={<CoursePage />} />
      </Routes>,
      { route: `/courses/${ref}${search}` },
    );
  }

  it('shows the outline with locks and free previews, and sends visitors to log in to enroll', async () => {
    renderPage();
    expect(await screen.findByRole('heading', { level: 1, name: 'Watercolour basics' })).toBeInTheDocument();
    expect(screen.getAllByRole('img', { name: 'Locked' })).toHaveLength(2);
    expect(screen.getByText('Free preview')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 3, name: 'Getting started' })).toBeInTheDocument();
    expect(screen.getByText('painters').tagName).toBe('STRONG');
    expect(screen.getByRole('link', { name: 'Enroll free' })).toHaveAttribute(
      'href',
      `/login?next=${encodeURIComponent('/courses/watercolour-basics')}`,
    );
  });

  it('enrolls a signed-in student, then offers the course', async () => {
    signedIn = true;
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Enroll free' }));
    expect(await screen.findByRole('link', { name: 'Go to course' })).toHaveAttribute('href', '/learn/watercolour-basics');
    expect(enrollCalls).toBe(1);
    expect(screen.queryAllByRole('img', { name: 'Locked' })).toHaveLength(0);
  });

  it('sends a signed-out visitor to log in before buying a paid course', async () => {
    courseAnswer = () => jsonResponse(200, { ...freeCourse, price: 149900, is_free: false });
    renderPage();
    const buy = await screen.findByRole('link', { name: 'Buy for ₹1,499' });
    expect(buy).toHaveAttribute('href', `/login?next=${encodeURIComponent('/courses/watercolour-basics')}`);
    expect(screen.getByTestId('course-price')).toHaveTextContent('₹1,499');
  });

  it('buys a paid course through the sandbox checkout, then unlocks it', async () => {
    signedIn = true;
    courseAnswer = () => jsonResponse(200, { ...freeCourse, price: 149900, is_free: false });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Buy for ₹1,499' }));

    const dialog = await screen.findByRole('dialog', { name: 'Sandbox checkout' });
    expect(dialog).toHaveTextContent('Sandbox — no real money moves');
    expect(dialog).toHaveTextContent('Watercolour basics');
    await user.click(within(dialog).getByRole('button', { name: 'Pay ₹1,499 (test)' }));

    expect(await screen.findByText('Payment successful')).toBeInTheDocument();
    expect(screen.getByTestId('purchase-success')).toHaveTextContent('Your receipt number is PS-000007.');
    expect(screen.getByRole('link', { name: 'Start learning' })).toHaveAttribute('href', '/learn/watercolour-basics');
    expect(screen.getByRole('link', { name: 'View receipt' })).toHaveAttribute('href', '/orders?order=order_sbx_1');
    expect(paymentCalls).toEqual(['create-order', 'sandbox/pay:success', 'verify']);
    // The course was fetched again and is open now.
    await waitFor(() => expect(screen.queryAllByRole('img', { name: 'Locked' })).toHaveLength(0));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('back from Stripe paid: the session is confirmed once and the course unlocks with its receipt', async () => {
    signedIn = true;
    courseAnswer = () => jsonResponse(200, { ...freeCourse, price: 149900, is_free: false });
    renderPage('watercolour-basics', '?checkout=stripe&session_id=cs_test_paid');

    expect(await screen.findByText('Payment successful')).toBeInTheDocument();
    expect(screen.getByTestId('purchase-success')).toHaveTextContent('Your receipt number is PS-000008.');
    expect(screen.getByRole('link', { name: 'View receipt' })).toHaveAttribute('href', '/orders?order=cs_test_paid');
    await waitFor(() => expect(screen.queryAllByRole('img', { name: 'Locked' })).toHaveLength(0));
    expect(paymentCalls).toEqual(['confirm']);
  });

  it('back from Stripe cancelled: nothing is confirmed and the course stays locked', async () => {
    signedIn = true;
    courseAnswer = () => jsonResponse(200, { ...freeCourse, price: 149900, is_free: false });
    renderPage('watercolour-basics', '?checkout=cancelled');

    expect(await screen.findByText('Payment cancelled')).toBeInTheDocument();
    expect(paymentCalls).toEqual([]);
    expect(screen.getAllByRole('img', { name: 'Locked' })).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Buy for ₹1,499' })).toBeInTheDocument();
  });

  it('a cancelled sandbox checkout leaves the course locked and offers to buy again', async () => {
    signedIn = true;
    courseAnswer = () => jsonResponse(200, { ...freeCourse, price: 149900, is_free: false });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Buy for ₹1,499' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Sandbox checkout' })).getByRole('button', { name: 'Cancel' }));

    expect(await screen.findByText('Payment cancelled')).toBeInTheDocument();
    expect(paymentCalls).toEqual(['create-order']);
    expect(screen.getAllByRole('img', { name: 'Locked' })).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Buy for ₹1,499' })).toBeInTheDocument();
  });

  it('a failed sandbox payment says so, keeps the course locked and offers a retry', async () => {
    signedIn = true;
    courseAnswer = () => jsonResponse(200, { ...freeCourse, price: 149900, is_free: false });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Buy for ₹1,499' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Sandbox checkout' })).getByRole('button', { name: 'Fail payment' }));

    expect(await screen.findByText('Payment failed')).toBeInTheDocument();
    expect(screen.getByText(/Payment failed \(sandbox\)\. The course is still locked\./)).toBeInTheDocument();
    expect(paymentCalls).toEqual(['create-order', 'sandbox/pay:fail']);
    expect(screen.getAllByRole('img', { name: 'Locked' })).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('dialog', { name: 'Sandbox checkout' })).toBeInTheDocument();
  });

  it('marks drafts for their owner and answers unknown courses with a friendly 404', async () => {
    courseAnswer = () => jsonResponse(200, { ...freeCourse, is_published: false, can_edit: true });
    const { unmount } = renderPage();
    expect(await screen.findByTestId('draft-badge')).toHaveTextContent('Draft');
    unmount();

    courseAnswer = () => jsonResponse(404, { code: 'course_not_found', message: 'No such course.' });
    renderPage('missing');
    expect(await screen.findByRole('heading', { level: 1, name: "We can't find that course" })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Browse courses' })).toHaveAttribute('href', '/courses');
  });
});
