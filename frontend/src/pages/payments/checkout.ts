import { isApiError } from '../../api/client';
import {
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
 */

/** What the customer did in the checkout. */
export type PaymentAnswer =
  | { kind: 'paid'; response: CheckoutSuccess }
  | { kind: 'dismissed' }
  | { kind: 'failed'; reason: string };

export type CheckoutStage = 'creating' | 'collecting' | 'paying' | 'verifying';

export type CheckoutResult =
  | { kind: 'paid'; order: CreatedOrder; verification: VerifyResult }
  /** The customer closed the checkout without paying. */
  | { kind: 'cancelled'; order: CreatedOrder }
  /** The payment was declined or failed. */
  | { kind: 'failed'; order: CreatedOrder; reason: string }
  /** Money may have moved but the server could not confirm it yet (provider down). */
  | { kind: 'pending'; order: CreatedOrder; reason: string; response: CheckoutSuccess }
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
  return confirmPayment(order, answer.response);
}

/**
 * Have the server verify what the checkout handed back. Also used to try again when the
 * provider was unreachable: the same answer is verified again (never a second payment).
 */
export async function confirmPayment(order: CreatedOrder, response: CheckoutSuccess): Promise<CheckoutResult> {
  try {
    const verification = await verifyPayment(response);
    return { kind: 'paid', order, verification };
  } catch (error) {
    if (providerUnavailable(error)) {
      return {
        kind: 'pending',
        order,
        response,
        reason: 'We could not confirm your payment with the payment provider just now.',
      };
    }
    return { kind: 'error', stage: 'verify', error, order };
  }
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
