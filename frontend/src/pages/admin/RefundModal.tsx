import { useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconArrowBackUp } from '@tabler/icons-react';
import { useRefundPayment, type PaymentRecord } from '../../api/payments';
import { applyServerErrors } from '../../components/formErrors';
import { formatRupees, paiseToRupeeInput, parseRupees } from '../../components/money';

/**
 * Refund a payment in full or in part, after saying plainly what will happen: provider
 * payments are refunded through the provider, manual ones are only recorded, and a full
 * refund ends the student's access.
 */
export function RefundModal({ payment, onClose }: { payment: PaymentRecord | null; onClose: () => void }) {
  const refund = useRefundPayment();
  const [formError, setFormError] = useState<string | null>(null);
  const remaining = payment ? payment.amount - payment.amount_refunded : 0;
  const form = useForm({
    mode: 'controlled',
    initialValues: { amount: '', reason: '' },
    validate: {
      amount: (v: string) => {
        const parsed = parseRupees(v);
        if (!parsed.ok) return parsed.error.replace(', or 0 for a free course', '');
        if (parsed.paise === 0) return 'Enter the amount to refund';
        if (parsed.paise > remaining) return `At most ${formatRupees(remaining)} can be refunded`;
        return null;
      },
      reason: (v: string) => (!v.trim() ? 'Say why the money is given back' : v.length > 500 ? 'Keep the reason under 500 characters' : null),
    },
  });

  const paymentId = payment?.id;
  useEffect(() => {
    if (paymentId) {
      form.setValues({ amount: paiseToRupeeInput(remaining), reason: '' });
      form.resetDirty();
      setFormError(null);
      refund.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [paymentId]);

  const parsed = parseRupees(form.values.amount);
  const amount = parsed.ok ? parsed.paise : 0;
  const full = amount === remaining;
  const viaProvider = payment && payment.method !== 'manual';

  return (
    <Modal opened={Boolean(payment)} onClose={() => !refund.isPending && onClose()} title="Refund payment" centered size="md">
      {payment && (
        <form
          noValidate
          aria-label="Refund payment"
          onSubmit={form.onSubmit((values) => {
            setFormError(null);
            const value = parseRupees(values.amount);
            refund.mutate(
              { paymentId: payment.id, amount: value.ok ? value.paise : undefined, reason: values.reason.trim() },
              {
                onSuccess: (result) => {
                  notifications.show({
                    color: 'teal',
                    title: result.status === 'pending' ? 'Refund started' : 'Refund recorded',
                    message: `${formatRupees(result.amount)} to ${payment.user.name} for “${payment.course.title}”.`,
                  });
                  onClose();
                },
                onError: (error) => setFormError(applyServerErrors(form, error)),
              },
            );
          })}
        >
          <Stack gap="md">
            <Text size="sm">
              {formatRupees(payment.amount)} paid by <strong>{payment.user.name}</strong> ({payment.user.email}) for “{payment.course.title}”
              {payment.amount_refunded > 0 ? `; ${formatRupees(payment.amount_refunded)} already refunded.` : '.'}
            </Text>
            <TextInput
              label="Amount to refund (₹)"
              inputMode="decimal"
              required
              description={`Up to ${formatRupees(remaining)}`}
              data-autofocus
              {...form.getInputProps('amount')}
            />
            <Textarea size="md" label="Reason" required autosize minRows={2} maxRows={5} {...form.getInputProps('reason')} />
            <Alert color={full ? 'red' : 'yellow'} variant="light" icon={<IconAlertCircle size={20} aria-hidden />}>
              {viaProvider
                ? 'The money goes back through the payment provider to the card or account it came from. '
                : 'This payment was recorded by hand: Pathshala only notes the refund, so return the money yourself. '}
              {full ? 'A full refund removes the student from the course.' : 'A partial refund keeps the student enrolled.'}
            </Alert>
            {formError && (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="The refund was not made">
                {formError}
              </Alert>
            )}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose} disabled={refund.isPending}>
                Keep the payment
              </Button>
              <Button type="submit" color="red" loading={refund.isPending} leftSection={<IconArrowBackUp size={16} aria-hidden />}>
                {amount > 0 ? `Refund ${formatRupees(amount)}` : 'Refund'}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
