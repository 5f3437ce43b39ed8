import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../api/client';
import { useInvalidateAfterPurchase, type CreatedOrder } from '../../api/payments';
import { useSession } from '../../auth/session';
import {
  confirmPayment,
  redirectToCheckout,
  runCheckout,
  sandboxCollector,
  type CheckoutResult,
  type CheckoutReturn,
  type PaymentAnswer,
  type SandboxChoice,
} from './checkout';
import { collectWithRazorpay } from './razorpay';

export type CheckoutState =
  | { phase: 'idle' }
  | { phase: 'creating' }
  /** The provider's checkout (or the sandbox dialog) is open. */
  | { phase: 'collecting'; order: CreatedOrder }
  /** The sandbox is paying (or failing) the order. */
  | { phase: 'paying'; order: CreatedOrder }
  /** The server is checking the payment (after a redirect checkout there is no order object). */
  | { phase: 'verifying'; order?: CreatedOrder }
  | { phase: 'done'; result: CheckoutResult };

export interface CheckoutCourse {
  id: string;
  title: string;
}

/**
 * The Buy button's state machine: runs the checkout for one course, opens Checkout.js or
 * hands the sandbox dialog its order, and refreshes the course, my courses and orders once
 * the purchase is confirmed.
 */
export function useCheckout(course: CheckoutCourse, { onPaid }: { onPaid?: () => void } = {}) {
  const { user } = useSession();
  const queryClient = useQueryClient();
  const invalidateAfterPurchase = useInvalidateAfterPurchase();
  const [state, setState] = useState<CheckoutState>({ phase: 'idle' });
  const chooser = useRef<((choice: SandboxChoice) => void) | null>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      // A sandbox dialog left open when the page goes away counts as cancelled.
      chooser.current?.('cancel');
      chooser.current = null;
    };
  }, []);

  const update = useCallback((next: CheckoutState) => {
    if (mounted.current) setState(next);
  }, []);

  const finish = useCallback(
    async (result: CheckoutResult) => {
      if (result.kind === 'paid') onPaid?.();
      if (result.kind === 'paid' || result.kind === 'pending') {
        await invalidateAfterPurchase();
      } else if (result.kind === 'error' && isApiError(result.error) && result.error.status === 409) {
        // Already enrolled (another tab, an admin) or no longer paid: show the course as it is.
        await queryClient.invalidateQueries({ queryKey: ['courses', 'detail'] });
      }
      update({ phase: 'done', result });
    },
    [invalidateAfterPurchase, queryClient, update, onPaid],
  );

  const start = useCallback(async () => {
    const collectPayment = (order: CreatedOrder): Promise<PaymentAnswer> => {
      if (order.provider === 'razorpay') {
        return collectWithRazorpay(order, { courseTitle: course.title, name: user?.name, email: user?.email });
      }
      if (order.provider === 'stripe' && order.checkout_url) {
        return redirectToCheckout(order.checkout_url);
      }
      if (order.provider === 'sandbox') {
        return sandboxCollector(
          () => new Promise<SandboxChoice>((resolve) => (chooser.current = resolve)),
          (paying) => update({ phase: 'paying', order: paying }),
        )(order);
      }
      return Promise.resolve({ kind: 'failed', reason: `This page cannot open the “${String(order.provider)}” checkout.` });
    };
    const result = await runCheckout(course.id, {
      collectPayment,
      onStage: (stage, order) => {
        if (stage === 'creating') update({ phase: 'creating' });
        else if (order && stage === 'collecting') update({ phase: 'collecting', order });
        else if (order && stage === 'verifying') update({ phase: 'verifying', order });
      },
    });
    await finish(result);
  }, [course.id, course.title, user?.name, user?.email, update, finish]);

  /** The sandbox dialog's buttons. */
  const choose = useCallback((choice: SandboxChoice) => {
    const resolve = chooser.current;
    chooser.current = null;
    resolve?.(choice);
  }, []);

  /** Ask the server again about a payment it could not confirm (provider down, or settling). */
  const confirmAgain = useCallback(async () => {
    if (state.phase !== 'done' || state.result.kind !== 'pending') return;
    const { order, proof } = state.result;
    update({ phase: 'verifying', order });
    await finish(await confirmPayment(order, proof));
  }, [state, update, finish]);

  /** The buyer is back from a redirect checkout (Stripe): confirm it, or say it was cancelled. */
  const resume = useCallback(
    async (back: NonNullable<CheckoutReturn>) => {
      if (back.kind === 'redirect-cancelled') {
        update({ phase: 'done', result: { kind: 'cancelled' } });
        return;
      }
      update({ phase: 'verifying' });
      await finish(await confirmPayment(undefined, { kind: 'redirect', orderId: back.orderId }));
    },
    [update, finish],
  );

  const reset = useCallback(() => update({ phase: 'idle' }), [update]);

  return { state, start, choose, confirmAgain, resume, reset };
}
