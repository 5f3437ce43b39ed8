import type { CheckoutSuccess, CreatedOrder } from '../../api/payments';
import type { PaymentAnswer } from './checkout';

/**
 * Razorpay Checkout.js, loaded only when a real Razorpay order is about to be paid (never in
 * the sandbox, never on page load). Options and events as in Razorpay's docs: `handler` gets
 * the signed success, `modal.ondismiss` fires when the customer closes the window, and
 * `payment.failed` fires for each failed attempt (Checkout lets them try again inside it).
 */

export const CHECKOUT_JS_URL = 'https://checkout.razorpay.com/v1/checkout.js';

interface RazorpayFailure {
  error?: { code?: string; description?: string; reason?: string; source?: string; step?: string };
}

interface RazorpayInstance {
  open(): void;
  on(event: 'payment.failed', callback: (response: RazorpayFailure) => void): void;
}

export interface RazorpayOptions {
  key: string;
  amount: number;
  currency: string;
  name: string;
  description?: string;
  order_id: string;
  prefill?: { name?: string; email?: string };
  notes?: Record<string, string>;
  theme?: { color?: string };
  handler: (response: CheckoutSuccess) => void;
  modal?: { ondismiss?: () => void; confirm_close?: boolean };
}

type RazorpayConstructor = new (options: RazorpayOptions) => RazorpayInstance;

declare global {
  interface Window {
    Razorpay?: RazorpayConstructor;
  }
}

let loading: Promise<RazorpayConstructor> | null = null;

/** Add checkout.js to the page once; a failed load can be tried again. */
export function loadRazorpayCheckout(): Promise<RazorpayConstructor> {
  if (window.Razorpay) return Promise.resolve(window.Razorpay);
  if (!loading) {
    loading = new Promise<RazorpayConstructor>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = CHECKOUT_JS_URL;
      script.async = true;
      script.onload = () => (window.Razorpay ? resolve(window.Razorpay) : reject(new Error('Razorpay Checkout did not start.')));
      script.onerror = () => {
        script.remove();
        reject(new Error("We couldn't load Razorpay's checkout. Check your connection and try again."));
      };
      document.head.appendChild(script);
    }).catch((error: unknown) => {
      loading = null;
      throw error;
    });
  }
  return loading;
}

/** Open Checkout for an order and settle with what the customer did there. */
export async function collectWithRazorpay(
  order: CreatedOrder,
  details: { courseTitle: string; name?: string; email?: string },
): Promise<PaymentAnswer> {
  const Razorpay = await loadRazorpayCheckout();
  return new Promise<PaymentAnswer>((resolve) => {
    let lastFailure: string | null = null;
    const checkout = new Razorpay({
      key: order.key_id ?? '',
      amount: order.amount,
      currency: order.currency,
      name: 'Pathshala',
      description: details.courseTitle,
      order_id: order.order_id,
      prefill: { name: details.name, email: details.email },
      theme: { color: '#4263eb' },
      handler: (response) => resolve({ kind: 'paid', response }),
      modal: {
        // Closing after a failed attempt is a failure, not a change of mind.
        ondismiss: () => resolve(lastFailure ? { kind: 'failed', reason: lastFailure } : { kind: 'dismissed' }),
      },
    });
    checkout.on('payment.failed', (response) => {
      lastFailure = response.error?.description || 'The payment did not go through.';
    });
    checkout.open();
  });
}
