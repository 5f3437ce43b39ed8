import { Center, Loader, Stack } from '@mantine/core';
import { QueryError } from './QueryError';

export function FullPageLoader() {
  return (
    <Center mih="60vh" role="status" aria-live="polite">
      <Loader aria-label="Loading" />
    </Center>
  );
}

export function FullPageError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <Center mih="60vh" p="md">
      <Stack maw={480} w="100%">
        <QueryError error={error} onRetry={onRetry} title="We couldn't load your session" />
      </Stack>
    </Center>
  );
}
