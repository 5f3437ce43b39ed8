import { useState } from 'react';
import { Stack, Text, Title } from '@mantine/core';
import { usePageTitle } from '../../components/usePageTitle';
import { LedgerCard } from './LedgerCard';
import { ManualPaymentCard } from './ManualPaymentCard';

/** Admins: record payments made outside the checkout, read the ledger, refund. */
export function PaymentsAdminPage() {
  usePageTitle('Payments');
  const [lastRecorded, setLastRecorded] = useState<string | undefined>();
  return (
    <Stack gap="xl">
      <div>
        <Title order={1}>Payments</Title>
        <Text c="dimmed" mt={6}>
          Record bank transfers and other payments, and keep track of every rupee received and refunded.
        </Text>
      </div>
      <ManualPaymentCard onRecorded={(result) => setLastRecorded(result.id)} />
      <LedgerCard highlightId={lastRecorded} />
    </Stack>
  );
}
