import { Alert, Anchor, Button, Group, Stack, Text } from '@mantine/core';
import {
  IconAlertCircle,
  IconArrowRight,
  IconCircleCheck,
  IconClockHour4,
  IconLock,
  IconReceipt,
  IconRefresh,
  IconShoppingCart,
  IconX,
} from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { usePublicConfig } from '../../api/config';
import { usePaymentsConfig } from '../../api/payments';
import type { CourseDetail } from '../../api/courses';
import { useSession } from '../../auth/session';
import { describeError } from '../../components/formErrors';
import { formatRupees } from '../../components/money';
import { readCheckoutReturn, type CheckoutResult } from '../payments/checkout';
import { SandboxCheckoutDialog } from '../payments/SandboxCheckoutDialog';
import { useCheckout } from '../payments/useCheckout';

function ordersLink(result: CheckoutResult): string {
  const orderId =
    ('order' in result && result.order?.order_id) || (result.kind === 'paid' ? result.verification.order?.order_id : null);
  return orderId ? `/orders?order=${encodeURIComponent(orderId)}` : '/orders';
}

const PROVIDER_NAMES: Record<string, string> = { razorpay: 'Razorpay', stripe: 'Stripe' };

/** What happened in the checkout, and what to do next. */
function Outcome({
  result,
  course,
  onRetry,
  onConfirmAgain,
  buyLabel,
}: {
  result: CheckoutResult;
  course: CourseDetail;
  onRetry: () => void;
  onConfirmAgain: () => void;
  buyLabel: string;
}) {
  const retry = (
    <Button size="md" fullWidth onClick={onRetry} leftSection={<IconRefresh size={18} aria-hidden />}>
      Try again
    </Button>
  );
  const stillLocked = 'The course is still locked.';

  switch (result.kind) {
    case 'paid': {
      const receipt = result.verification.order?.receipt_label;
      return (
        <Stack gap="sm" data-testid="purchase-success">
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={20} aria-hidden />} role="status" title="Payment successful">
            You own this course now: every lesson is open to you.
            {receipt && (
              <>
                {' '}
                Your receipt number is <span style={{ whiteSpace: 'nowrap' }}>{receipt}</span>.
              </>
            )}
          </Alert>
          <Button component={Link} to={`/learn/${course.slug}`} size="md" fullWidth rightSection={<IconArrowRight size={18} aria-hidden />}>
            Start learning
          </Button>
          <Button component={Link} to={ordersLink(result)} variant="light" fullWidth leftSection={<IconReceipt size={18} aria-hidden />}>
            View receipt
          </Button>
        </Stack>
      );
    }
    case 'cancelled':
      return (
        <Stack gap="sm" data-testid="purchase-cancelled">
          <Alert color="yellow" variant="light" icon={<IconX size={20} aria-hidden />} role="status" title="Payment cancelled">
            You left the checkout before paying, so nothing was charged. {stillLocked}
          </Alert>
          <Button size="md" fullWidth onClick={onRetry} leftSection={<IconShoppingCart size={18} aria-hidden />}>
            {buyLabel}
          </Button>
        </Stack>
      );
    case 'failed':
      return (
        <Stack gap="sm" data-testid="purchase-failed">
          <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="Payment failed">
            {result.reason} {stillLocked} You can try again, with the same or another payment method.
          </Alert>
          {retry}
        </Stack>
      );
    case 'pending':
      return (
        <Stack gap="sm" data-testid="purchase-pending">
          <Alert color="blue" variant="light" icon={<IconClockHour4 size={20} aria-hidden />} role="status" title="Confirming your payment">
            {result.reason} If money left your account, don't pay again: the course unlocks on its own once the payment is
            confirmed, usually within a few minutes.
          </Alert>
          <Button size="md" fullWidth onClick={onConfirmAgain} leftSection={<IconRefresh size={18} aria-hidden />}>
            Check again
          </Button>
          <Anchor component={Link} to={ordersLink(result)} size="sm" ta="center">
            See your purchases
          </Anchor>
        </Stack>
      );
    case 'error': {
      const conflict = isApiError(result.error) && result.error.status === 409;
      const title =
        result.stage === 'create-order' ? (conflict ? 'No payment needed' : "We couldn't start the checkout") : "We couldn't verify your payment";
      return (
        <Stack gap="sm" data-testid="purchase-error">
          <Alert color={conflict ? 'blue' : 'red'} variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title={title}>
            {describeError(result.error)}
            {result.stage === 'verify' &&
              ` ${stillLocked} If money left your account, the payment is confirmed automatically within a few minutes; check your purchases before paying again.`}
          </Alert>
          {!conflict && retry}
          {result.stage === 'verify' && (
            <Anchor component={Link} to={ordersLink(result)} size="sm" ta="center">
              See your purchases
            </Anchor>
          )}
        </Stack>
      );
    }
  }
}

/** "Buy for ₹X" on a paid course: the checkout and its outcome, in the course's action card. */
export function BuyCourse({ course, onPaid }: { course: CourseDetail; onPaid?: () => void }) {
  const { status } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const config = usePublicConfig();
  const payments = usePaymentsConfig();
  const { state, start, choose, confirmAgain, resume, reset } = useCheckout(course, { onPaid });
  const buyLabel = `Buy for ${formatRupees(course.price)}`;
  const sandbox = config.data?.payment_sandbox;
  const providerName = PROVIDER_NAMES[payments.data?.provider ?? ''] ?? 'our payment provider';

  // Back from Stripe's checkout: confirm once, then drop the query so a reload doesn't repeat it.
  const resumed = useRef(false);
  const authenticated = status === 'authenticated';
  useEffect(() => {
    const back = readCheckoutReturn(location.search);
    if (!back || !authenticated || resumed.current) return;
    resumed.current = true;
    navigate({ pathname: location.pathname, hash: location.hash }, { replace: true });
    void resume(back);
  }, [authenticated, location.search, location.pathname, location.hash, navigate, resume]);

  if (status !== 'authenticated') {
    const back = `${location.pathname}${location.search}`;
    return (
      <Stack gap="xs">
        <Button component={Link} to={`/login?next=${encodeURIComponent(back)}`} size="md" fullWidth leftSection={<IconShoppingCart size={18} aria-hidden />}>
          {buyLabel}
        </Button>
        <Text size="sm" c="dimmed" ta="center">
          Log in or create a free account to buy this course.
        </Text>
      </Stack>
    );
  }

  const busyOrder = state.phase === 'collecting' || state.phase === 'paying' || state.phase === 'verifying' ? state.order : null;
  const sandboxOrder = busyOrder?.provider === 'sandbox' ? busyOrder : null;
  const sandboxBusy = state.phase === 'paying' ? 'paying' : state.phase === 'verifying' ? 'verifying' : null;

  const retry = () => {
    reset();
    void start();
  };

  return (
    <>
      {state.phase === 'done' ? (
        <Outcome result={state.result} course={course} onRetry={retry} onConfirmAgain={() => void confirmAgain()} buyLabel={buyLabel} />
      ) : (
        <Stack gap="xs">
          <Button
            size="md"
            fullWidth
            loading={state.phase !== 'idle'}
            onClick={() => void start()}
            leftSection={<IconShoppingCart size={18} aria-hidden />}
          >
            {buyLabel}
          </Button>
          <Text size="sm" c="dimmed" ta="center" role={state.phase === 'idle' ? undefined : 'status'}>
            {state.phase === 'creating'
              ? 'Preparing your checkout…'
              : state.phase === 'collecting' && busyOrder?.provider === 'razorpay'
                ? 'Complete the payment in the Razorpay window.'
                : state.phase === 'collecting' && busyOrder?.provider === 'stripe'
                  ? "Taking you to Stripe's secure checkout…"
                  : state.phase === 'verifying'
                    ? 'Confirming your payment…'
                    : sandbox
                      ? 'Test checkout: this Pathshala runs the payment sandbox.'
                      : 'One-time payment. Every lesson opens as soon as it is confirmed.'}
          </Text>
          <Group gap={6} justify="center" wrap="nowrap" c="dimmed">
            <IconLock size={14} aria-hidden />
            <Text size="xs">{sandbox ? 'No real money moves in the sandbox.' : `Secure payment by ${providerName}.`}</Text>
          </Group>
        </Stack>
      )}
      <SandboxCheckoutDialog order={sandboxOrder} courseTitle={course.title} busy={sandboxBusy} onChoose={choose} />
    </>
  );
}
