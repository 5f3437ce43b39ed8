import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { __resetClientStateForTests } from '../../api/client';
import type { CreatedOrder } from '../../api/payments';
import { jsonResponse } from '../../test/render';
import { confirmPayment, readCheckoutReturn, redirectToCheckout, runCheckout, sandboxCollector, type SandboxChoice } from './checkout';
import { CHECKOUT_JS_URL, collectWithRazorpay, type RazorpayOptions } from './razorpay';

type FetchMock = ReturnType<typeof vi.fn<typeof fetch>>;

const COURSE_ID = '0b9d3c1e-7a55-4b57-9a61-6f4e2f0c1a11';

function order(provider: 'sandbox' | 'razorpay' = 'sandbox'): CreatedOrder {
  return {
    order_id: provider === 'sandbox' ? 'order_sbx_abc123' : 'order_N5Yx1',
    amount: 149900,
    currency: 'INR',
    key_id: provider === 'sandbox' ? 'rzp_test_sandbox' : 'rzp_test_key',
    provider,
    id: 'a2b9e0de-0000-4000-8000-000000000001',
    status: 'created',
    course: { id: COURSE_ID, title: 'Botanical Illustration', slug: 'botanical' },
  };
}

const SIGNED = {
  outcome: 'success',
  razorpay_order_id: 'order_sbx_abc123',
  razorpay_payment_id: 'pay_sbx_xyz',
  razorpay_signature: 'f'.repeat(64),
};

const SETTLED = {
  status: 'paid',
  enrollment: { id: 'e1', user_id: 'u1', course_id: COURSE_ID, source: 'purchase', status: 'active', created_at: '2026-01-01T00:00:00Z' },
  order: { id: 'o1', order_id: 'order_sbx_abc123', status: 'paid', receipt_label: 'PS-000001' },
};

function calls(fetchMock: FetchMock) {
  return fetchMock.mock.calls.map(([input, init]) => ({
    url: String(input),
    method: init?.method,
    body: init?.body ? JSON.parse(String(init.body)) : undefined,
  }));
}

/** Answers by path; each path's answers are used in turn (the last one repeats). */
function server(fetchMock: FetchMock, answers: Record<string, Array<() => Response>>) {
  const used: Record<string, number> = {};
  fetchMock.mockImplementation(async (input) => {
    const path = String(input);
    const list = answers[path];
    if (!list) return jsonResponse(404, { code: 'not_found', message: `unexpected ${path}` });
    const i = Math.min(used[path] ?? 0, list.length - 1);
    used[path] = (used[path] ?? 0) + 1;
    return list[i]();
  });
}

let fetchMock: FetchMock;

beforeEach(() => {
  __resetClientStateForTests();
  fetchMock = vi.fn<typeof fetch>();
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
  delete window.Razorpay;
  document.head.querySelectorAll('script').forEach((s) => s.remove());
});

describe('sandbox checkout', () => {
  const choosing = (choice: SandboxChoice) => sandboxCollector(async () => choice);

  it('creates the order, pays it in the sandbox, then verifies what the sandbox handed back', async () => {
    server(fetchMock, {
      '/api/payments/create-order': [() => jsonResponse(201, order())],
      '/api/payments/sandbox/pay': [() => jsonResponse(200, SIGNED)],
      '/api/payments/verify': [() => jsonResponse(200, SETTLED)],
    });
    const stages: string[] = [];
    const result = await runCheckout(COURSE_ID, { collectPayment: choosing('success'), onStage: (s) => stages.push(s) });

    expect(result.kind).toBe('paid');
    expect(result.kind === 'paid' && result.verification.order?.receipt_label).toBe('PS-000001');
    expect(stages).toEqual(['creating', 'collecting', 'verifying']);
    expect(calls(fetchMock)).toEqual([
      { url: '/api/payments/create-order', method: 'POST', body: { course_id: COURSE_ID } },
      { url: '/api/payments/sandbox/pay', method: 'POST', body: { order_id: 'order_sbx_abc123', outcome: 'success' } },
      {
        url: '/api/payments/verify',
        method: 'POST',
        // Exactly Checkout.js's three fields: nothing else of the sandbox's answer is sent.
        body: { razorpay_order_id: 'order_sbx_abc123', razorpay_payment_id: 'pay_sbx_xyz', razorpay_signature: 'f'.repeat(64) },
      },
    ]);
    // The sandbox never loads Razorpay's script.
    expect(document.querySelector(`script[src="${CHECKOUT_JS_URL}"]`)).toBeNull();
  });

  it('a cancelled checkout pays nothing and verifies nothing', async () => {
    server(fetchMock, { '/api/payments/create-order': [() => jsonResponse(201, order())] });
    const result = await runCheckout(COURSE_ID, { collectPayment: choosing('cancel') });
    expect(result).toEqual({ kind: 'cancelled', order: order() });
    expect(calls(fetchMock).map((c) => c.url)).toEqual(['/api/payments/create-order']);
  });

  it('a failed payment reports the bank\'s reason and is not verified', async () => {
    server(fetchMock, {
      '/api/payments/create-order': [() => jsonResponse(201, order())],
      '/api/payments/sandbox/pay': [
        () => jsonResponse(200, { outcome: 'fail', error: { code: 'BAD_REQUEST_ERROR', description: 'Payment failed (sandbox).', reason: 'payment_failed' } }),
      ],
    });
    const result = await runCheckout(COURSE_ID, { collectPayment: choosing('fail') });
    expect(result).toMatchObject({ kind: 'failed', reason: 'Payment failed (sandbox).' });
    expect(calls(fetchMock).map((c) => c.url)).toEqual(['/api/payments/create-order', '/api/payments/sandbox/pay']);
    expect(calls(fetchMock)[1].body).toEqual({ order_id: 'order_sbx_abc123', outcome: 'fail' });
  });

  it('a refused verification (bad signature) is an error, and nothing is retried behind the user\'s back', async () => {
    server(fetchMock, {
      '/api/payments/create-order': [() => jsonResponse(201, order())],
      '/api/payments/sandbox/pay': [() => jsonResponse(200, SIGNED)],
      '/api/payments/verify': [() => jsonResponse(400, { code: 'invalid_signature', message: 'The payment signature is not valid.' })],
    });
    const result = await runCheckout(COURSE_ID, { collectPayment: choosing('success') });
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.stage).toBe('verify');
    expect(result.kind === 'error' && (result.error as Error).message).toBe('The payment signature is not valid.');
    expect(calls(fetchMock).filter((c) => c.url === '/api/payments/verify')).toHaveLength(1);
  });

  it('a provider outage during verify leaves the payment pending; checking again verifies the same answer', async () => {
    server(fetchMock, {
      '/api/payments/create-order': [() => jsonResponse(201, order())],
      '/api/payments/sandbox/pay': [() => jsonResponse(200, SIGNED)],
      '/api/payments/verify': [
        () => jsonResponse(503, { code: 'payment_provider_unreachable', message: 'The payment provider is not answering.' }),
        () => jsonResponse(200, SETTLED),
      ],
    });
    const first = await runCheckout(COURSE_ID, { collectPayment: choosing('success') });
    expect(first.kind).toBe('pending');
    if (first.kind !== 'pending') return;
    const again = await confirmPayment(first.order, first.proof);
    expect(again.kind).toBe('paid');
    const verifies = calls(fetchMock).filter((c) => c.url === '/api/payments/verify');
    expect(verifies).toHaveLength(2);
    expect(verifies[1].body).toEqual(verifies[0].body);
    // Still one order and one sandbox payment: checking again never pays twice.
    expect(calls(fetchMock).filter((c) => c.url !== '/api/payments/verify')).toHaveLength(2);
  });

  it('an order that cannot be created (already enrolled) stops before any checkout opens', async () => {
    server(fetchMock, {
      '/api/payments/create-order': [() => jsonResponse(409, { code: 'already_enrolled', message: 'You are already enrolled in this course.' })],
    });
    const collectPayment = vi.fn();
    const result = await runCheckout(COURSE_ID, { collectPayment });
    expect(result).toMatchObject({ kind: 'error', stage: 'create-order' });
    expect(collectPayment).not.toHaveBeenCalled();
  });
});

describe('Razorpay Checkout', () => {
  /** A stand-in for checkout.js's global: records the options and lets the test act as the customer. */
  function fakeRazorpay() {
    const opened: { options: RazorpayOptions; failed?: (r: { error: { description: string } }) => void }[] = [];
    window.Razorpay = class {
      constructor(options: RazorpayOptions) {
        opened.push({ options });
      }
      on(_event: string, callback: (r: { error: { description: string } }) => void) {
        opened[opened.length - 1].failed = callback;
      }
      open() {}
    } as unknown as NonNullable<typeof window.Razorpay>;
    return opened;
  }

  it('opens Checkout with the order and verifies what its handler receives', async () => {
    const opened = fakeRazorpay();
    server(fetchMock, {
      '/api/payments/create-order': [() => jsonResponse(201, order('razorpay'))],
      '/api/payments/verify': [() => jsonResponse(200, SETTLED)],
    });
    const pending = runCheckout(COURSE_ID, {
      collectPayment: (o) => collectWithRazorpay(o, { courseTitle: 'Botanical Illustration', name: 'Asha Rao', email: 'asha@example.com' }),
    });
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    const { options } = opened[0];
    expect(options).toMatchObject({
      key: 'rzp_test_key',
      order_id: 'order_N5Yx1',
      amount: 149900,
      currency: 'INR',
      name: 'Pathshala',
      description: 'Botanical Illustration',
      prefill: { name: 'Asha Rao', email: 'asha@example.com' },
    });
    options.handler({ razorpay_order_id: 'order_N5Yx1', razorpay_payment_id: 'pay_1', razorpay_signature: 'sig' });
    await expect(pending).resolves.toMatchObject({ kind: 'paid' });
    expect(calls(fetchMock)[1]).toEqual({
      url: '/api/payments/verify',
      method: 'POST',
      body: { razorpay_order_id: 'order_N5Yx1', razorpay_payment_id: 'pay_1', razorpay_signature: 'sig' },
    });
  });

  it('closing Checkout is a cancel; closing it after a failed attempt is a failure with its reason', async () => {
    const opened = fakeRazorpay();
    server(fetchMock, { '/api/payments/create-order': [() => jsonResponse(201, order('razorpay'))] });
    const collect = (o: CreatedOrder) => collectWithRazorpay(o, { courseTitle: 'Botanical Illustration' });

    const cancelled = runCheckout(COURSE_ID, { collectPayment: collect });
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    opened[0].options.modal?.ondismiss?.();
    await expect(cancelled).resolves.toMatchObject({ kind: 'cancelled' });

    const failed = runCheckout(COURSE_ID, { collectPayment: collect });
    await vi.waitFor(() => expect(opened).toHaveLength(2));
    opened[1].failed?.({ error: { description: 'Your card was declined.' } });
    opened[1].options.modal?.ondismiss?.();
    await expect(failed).resolves.toMatchObject({ kind: 'failed', reason: 'Your card was declined.' });
    expect(calls(fetchMock).some((c) => c.url === '/api/payments/verify')).toBe(false);
  });

  it('loads checkout.js only when a Razorpay order is paid, and says so when it cannot', async () => {
    server(fetchMock, { '/api/payments/create-order': [() => jsonResponse(201, order('razorpay'))] });
    const result = runCheckout(COURSE_ID, { collectPayment: (o) => collectWithRazorpay(o, { courseTitle: 'x' }) });
    await vi.waitFor(() => expect(document.querySelector(`script[src="${CHECKOUT_JS_URL}"]`)).not.toBeNull());
    document.querySelector<HTMLScriptElement>(`script[src="${CHECKOUT_JS_URL}"]`)!.onerror!(new Event('error'));
    await expect(result).resolves.toMatchObject({ kind: 'failed', reason: expect.stringContaining("couldn't load Razorpay") });
  });
});

describe('Stripe Checkout (a redirect)', () => {
  const SESSION = 'cs_test_a1' + 'B'.repeat(56);

  it('sends the buyer to the hosted checkout page and verifies nothing in the meantime', async () => {
    server(fetchMock, {
      '/api/payments/create-order': [
        () => jsonResponse(201, { ...order(), provider: 'stripe', key_id: null, order_id: SESSION, checkout_url: 'https://checkout.stripe.test/c/pay/1' }),
      ],
    });
    const visited: string[] = [];
    let settled = false;
    void runCheckout(COURSE_ID, {
      collectPayment: (o) => redirectToCheckout(o.checkout_url!, (url) => visited.push(url)),
    }).then(() => (settled = true));
    await vi.waitFor(() => expect(visited).toEqual(['https://checkout.stripe.test/c/pay/1']));
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(calls(fetchMock).map((c) => c.url)).toEqual(['/api/payments/create-order']);
  });

  it('reads the return address: paid (with a well-formed session id), cancelled, or nothing', () => {
    expect(readCheckoutReturn(`?checkout=stripe&session_id=${SESSION}`)).toEqual({ kind: 'redirect-paid', orderId: SESSION });
    expect(readCheckoutReturn('?checkout=cancelled')).toEqual({ kind: 'redirect-cancelled' });
    expect(readCheckoutReturn('?checkout=stripe&session_id=../../admin')).toBeNull();
    expect(readCheckoutReturn('?checkout=stripe')).toBeNull();
    expect(readCheckoutReturn('?q=1')).toBeNull();
  });

  it('confirms the returned session with the server; a settling payment is pending and can be checked again', async () => {
    server(fetchMock, {
      '/api/payments/confirm': [
        () => jsonResponse(409, { code: 'payment_pending', message: 'The payment is still being processed.' }),
        () => jsonResponse(200, { ...SETTLED, order: { ...SETTLED.order, order_id: SESSION } }),
      ],
    });
    const proof = { kind: 'redirect', orderId: SESSION } as const;
    const first = await confirmPayment(undefined, proof);
    expect(first).toMatchObject({ kind: 'pending', reason: expect.stringContaining('still processing') });
    const again = await confirmPayment(undefined, proof);
    expect(again.kind).toBe('paid');
    const confirms = calls(fetchMock).filter((c) => c.url === '/api/payments/confirm');
    expect(confirms.map((c) => c.body)).toEqual([{ order_id: SESSION }, { order_id: SESSION }]);
  });

  it('a payment since refunded is not reported as bought', async () => {
    server(fetchMock, { '/api/payments/confirm': [() => jsonResponse(200, { ...SETTLED, status: 'refunded' })] });
    const result = await confirmPayment(undefined, { kind: 'redirect', orderId: SESSION });
    expect(result).toMatchObject({ kind: 'error', stage: 'verify', error: { code: 'order_refunded' } });
  });

  it('a session left unpaid reads as cancelled; a refused one is an error', async () => {
    server(fetchMock, {
      '/api/payments/confirm': [
        () => jsonResponse(409, { code: 'payment_not_captured', message: 'The checkout was not paid.' }),
        () => jsonResponse(404, { code: 'order_not_found', message: 'No such order.' }),
      ],
    });
    const proof = { kind: 'redirect', orderId: SESSION } as const;
    expect((await confirmPayment(undefined, proof)).kind).toBe('cancelled');
    expect(await confirmPayment(undefined, proof)).toMatchObject({ kind: 'error', stage: 'verify' });
  });
});
