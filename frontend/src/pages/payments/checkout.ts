import { ApiError, isApiError } from '../../api/client';
import {
  confirmRedirectPayment,
  createOrder,
  sandboxPay,
  verifyPayment,
  type CheckoutSuccess,
  type CreatedOrder,
  type VerifyResult,
} from '../../api/payments';

/**
 * Buying a course, independent of any screen: create the order, let the provider's checkout
 * collect the money, then have the server verify what the checkout handed back. The sandbox
 * follows exactly the Checkout.js path: its "pay" answer is what `handler` would receive.
 * Stripe's checkout is a page of its own: the buyer leaves and comes back to the course page
 * (`?checkout=stripe&session_id=…`), where `confirmPayment` asks the server to look it up.
 */

/** What the server checks a payment with: the checkout's signed answer (Razorpay, sandbox),
 * or the order id of a redirect checkout (Stripe), which the server looks up itself. */
export type PaymentProof = { kind: 'signed'; response: CheckoutSuccess } | { kind: 'redirect'; orderId: string };

/** What the customer did in the checkout. */
export type PaymentAnswer =
  | { kind: 'paid'; response: CheckoutSuccess }
  | { kind: 'dismissed' }
  | { kind: 'failed'; reason: string };

export type CheckoutStage = 'creating' | 'collecting' | 'paying' | 'verifying';

/** `order` is absent when the buyer came back from a redirect checkout (a new page load). */
export type CheckoutResult =
  | { kind: 'paid'; order?: CreatedOrder; verification: VerifyResult }
  /** The customer closed (or cancelled) the checkout without paying. */
  | { kind: 'cancelled'; order?: CreatedOrder }
  /** The payment was declined or failed. */
  | { kind: 'failed'; order: CreatedOrder; reason: string }
  /** Money may have moved but the server could not confirm it yet (provider down). */
  | { kind: 'pending'; order?: CreatedOrder; reason: string; proof: PaymentProof }
  /** Our own request failed (order not created, verification refused). */
  | { kind: 'error'; stage: 'create-order' | 'verify'; error: unknown; order?: CreatedOrder };

export interface CheckoutDeps {
  /** Opens the provider's checkout for the order; settles with what the customer did. */
  collectPayment: (order: CreatedOrder) => Promise<PaymentAnswer>;
  onStage?: (stage: CheckoutStage, order?: CreatedOrder) => void;
}

/** Verification answers that mean "the provider did not answer": the order stays pending. */
function providerUnavailable(error: unknown): boolean {
  return isApiError(error) && (error.status === 502 || error.status === 503 || error.status === 504 || error.status === 0);
}

export async function runCheckout(courseId: string, deps: CheckoutDeps): Promise<CheckoutResult> {
  deps.onStage?.('creating');
  let order: CreatedOrder;
  try {
    order = await createOrder(courseId);
  } catch (error) {
    return { kind: 'error', stage: 'create-order', error };
  }

  deps.onStage?.('collecting', order);
  let answer: PaymentAnswer;
  try {
    answer = await deps.collectPayment(order);
  } catch (error) {
    // The checkout could not open (script blocked, sandbox request failed): nothing was paid.
    return { kind: 'failed', order, reason: describeCheckoutError(error) };
  }
  if (answer.kind === 'dismissed') return { kind: 'cancelled', order };
  if (answer.kind === 'failed') return { kind: 'failed', order, reason: answer.reason };

  deps.onStage?.('verifying', order);
  return confirmPayment(order, { kind: 'signed', response: answer.response });
}

/**
 * Have the server verify the payment. Also used to try again when the provider was
 * unreachable or the payment was still settling: the same proof is checked again (never a
 * second payment).
 */
export async function confirmPayment(order: CreatedOrder | undefined, proof: PaymentProof): Promise<CheckoutResult> {
  try {
    const verification =
      proof.kind === 'signed' ? await verifyPayment(proof.response) : await confirmRedirectPayment(proof.orderId);
    if (verification.status !== 'paid') {
      // Checking an old payment again after an admin refunded it: the course is locked again.
      const refunded = new ApiError(409, 'order_refunded', 'This payment was refunded, so the course is locked again.');
      return { kind: 'error', stage: 'verify', error: refunded, order };
    }
    return { kind: 'paid', order, verification };
  } catch (error) {
    if (providerUnavailable(error)) {
      return { kind: 'pending', order, proof, reason: 'We could not confirm your payment with the payment provider just now.' };
    }
    if (isApiError(error) && error.code === 'payment_pending') {
      return { kind: 'pending', order, proof, reason: 'Your bank is still processing the payment.' };
    }
    if (proof.kind === 'redirect' && isApiError(error) && error.code === 'payment_not_captured') {
      return { kind: 'cancelled', order };
    }
    return { kind: 'error', stage: 'verify', error, order };
  }
}

/** Send the buyer to a hosted checkout page; the page unloads, so this never settles. */
export function redirectToCheckout(url: string, navigate: (url: string) => void = (to) => window.location.assign(to)): Promise<PaymentAnswer> {
  navigate(url);
  return new Promise<PaymentAnswer>(() => undefined);
}

/** What the course page's address says about a return from a redirect checkout. */
export type CheckoutReturn = { kind: 'redirect-paid'; orderId: string } | { kind: 'redirect-cancelled' } | null;

export function readCheckoutReturn(search: string): CheckoutReturn {
  const params = new URLSearchParams(search);
  const checkout = params.get('checkout');
  const sessionId = params.get('session_id');
  if (checkout === 'stripe' && sessionId && /^[A-Za-z0-9_]{1,255}$/.test(sessionId)) return { kind: 'redirect-paid', orderId: sessionId };
  if (checkout === 'cancelled') return { kind: 'redirect-cancelled' };
  return null;
}

export function describeCheckoutError(error: unknown): string {
  if (isApiError(error)) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'The checkout could not be opened.';
}

export type SandboxChoice = 'success' | 'fail' | 'cancel';

/**
 * The sandbox's checkout: the customer's choice comes from the sandbox dialog, then the
 * server's sandbox "pays" (or fails) the order and hands back what Checkout.js would.
 */
export function sandboxCollector(
  choose: (order: CreatedOrder) => Promise<SandboxChoice>,
  onPaying?: (order: CreatedOrder) => void,
): (order: CreatedOrder) => Promise<PaymentAnswer> {
  return async (order) => {
    const choice = await choose(order);
    if (choice === 'cancel') return { kind: 'dismissed' };
    onPaying?.(order);
    const answer = await sandboxPay(order.order_id, choice);
    if (answer.razorpay_payment_id && answer.razorpay_signature && answer.razorpay_order_id) {
      return {
        kind: 'paid',
        response: {
          razorpay_order_id: answer.razorpay_order_id,
          razorpay_payment_id: answer.razorpay_payment_id,
          razorpay_signature: answer.razorpay_signature,
        },
      };
    }
    return { kind: 'failed', reason: answer.error?.description || 'The bank declined the payment.' };
  };
}
