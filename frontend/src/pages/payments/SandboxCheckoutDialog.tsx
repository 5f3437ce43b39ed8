import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { IconCreditCard, IconFlask, IconX } from '@tabler/icons-react';
import type { CreatedOrder } from '../../api/payments';
import { formatRupees } from '../../components/money';
import type { SandboxChoice } from './checkout';

/**
 * The payment sandbox's stand-in for Razorpay Checkout, for installations without payment
 * keys. It says plainly that nothing real happens, and offers exactly what a customer can do
 * in a real checkout: pay, have the payment fail, or close it.
 */
export function SandboxCheckoutDialog({
  order,
  courseTitle,
  busy,
  onChoose,
}: {
  /** The order being paid; the dialog is open while there is one. */
  order: CreatedOrder | null;
  courseTitle: string;
  /** The sandbox is paying or the server is verifying: no second click, no closing. */
  busy: 'paying' | 'verifying' | null;
  onChoose: (choice: SandboxChoice) => void;
}) {
  const amount = order ? formatRupees(order.amount) : '';
  const [chosen, setChosen] = useState<SandboxChoice | null>(null);
  const orderId = order?.order_id;
  useEffect(() => setChosen(null), [orderId]);
  const choose = (choice: SandboxChoice) => {
    setChosen(choice);
    onChoose(choice);
  };
  return (
    <Modal
      opened={Boolean(order)}
      onClose={() => !busy && choose('cancel')}
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      withCloseButton={!busy}
      closeButtonProps={{ 'aria-label': 'Cancel checkout' }}
      title={
        <Group gap="xs" wrap="nowrap">
          <IconCreditCard size={20} aria-hidden />
          <Text fw={700} component="span">
            Sandbox checkout
          </Text>
        </Group>
      }
      centered
      size="md"
      data-testid="sandbox-checkout"
    >
      {order && (
        <Stack gap="md">
          <Alert color="yellow" variant="light" icon={<IconFlask size={20} aria-hidden />} title="Sandbox — no real money moves">
            This Pathshala has no payment provider configured, so this test checkout stands in for Razorpay. Choose what the
            bank would do.
          </Alert>
          <Table variant="vertical" layout="fixed" withTableBorder aria-label="Order">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={110} scope="row">
                  Course
                </Table.Th>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{courseTitle}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Amount</Table.Th>
                <Table.Td>
                  <Text fw={700} span data-testid="sandbox-amount">
                    {amount}
                  </Text>{' '}
                  <Badge size="sm" variant="light" color="gray">
                    {order.currency}
                  </Badge>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Order</Table.Th>
                <Table.Td>
                  <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                    {order.order_id}
                  </Text>
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          {busy && (
            <Text size="sm" c="dimmed" role="status">
              {busy === 'paying' ? 'Contacting the sandbox bank…' : 'Confirming the payment with Pathshala…'}
            </Text>
          )}
          <Stack gap="xs">
            <Button
              size="md"
              fullWidth
              onClick={() => choose('success')}
              loading={Boolean(busy) && chosen === 'success'}
              disabled={Boolean(busy) && chosen !== 'success'}
              data-autofocus
            >
              Pay {amount} (test)
            </Button>
            <Group grow gap="xs">
              <Button
                variant="light"
                color="red"
                onClick={() => choose('fail')}
                loading={Boolean(busy) && chosen === 'fail'}
                disabled={Boolean(busy) && chosen !== 'fail'}
              >
                Fail payment
              </Button>
              <Button variant="default" leftSection={<IconX size={16} aria-hidden />} onClick={() => choose('cancel')} disabled={Boolean(busy)}>
                Cancel
              </Button>
            </Group>
          </Stack>
        </Stack>
      )}
    </Modal>
  );
}
