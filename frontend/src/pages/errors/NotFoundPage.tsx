import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useSession } from '../../auth/session';
import { AppLayout } from '../../components/AppLayout';
import { FullPageLoader } from '../../components/FullPageState';
import { PublicLayout } from '../../components/PublicLayout';
import { usePageTitle } from '../../components/usePageTitle';

export function NotFoundPage() {
  usePageTitle('Page not found');
  const { status } = useSession();
  return (
    <Center py={72} px="md" data-testid="not-found-page">
      <Stack align="center" gap="sm" maw={520} ta="center">
        <Text fw={800} fz={56} c="indigo.8" lh={1} aria-hidden>
          404
        </Text>
        <Title order={1}>We can't find that page</Title>
        <Text c="dimmed">The link may be broken, or the page may have moved. Check the address or head back home.</Text>
        <Button component={Link} to={status === 'authenticated' ? '/home' : '/'} mt="sm">
          {status === 'authenticated' ? 'Back to home' : 'Go to the home page'}
        </Button>
      </Stack>
    </Center>
  );
}

/** Unknown paths: inside the shell for a signed-in user, in the public layout otherwise. */
export function NotFoundRoute() {
  const { status } = useSession();
  if (status === 'loading') return <FullPageLoader />;
  if (status === 'authenticated') {
    return (
      <AppLayout>
        <NotFoundPage />
      </AppLayout>
    );
  }
  return (
    <PublicLayout>
      <NotFoundPage />
    </PublicLayout>
  );
}
