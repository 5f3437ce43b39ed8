import { Container } from '@mantine/core';
import { Outlet } from 'react-router-dom';
import { useSession } from '../auth/session';
import { AppLayout } from './AppLayout';
import { FullPageLoader } from './FullPageState';
import { PublicLayout } from './PublicLayout';

/**
 * For pages anyone may open (the catalog, a course): signed-in people keep their app shell and
 * navigation, visitors get the public header with log-in and sign-up.
 */
export function SiteLayout() {
  const { status } = useSession();
  // If /me failed (server down), the page is shown in the public layout (see useSession).
  if (status === 'loading') return <FullPageLoader />;
  if (status === 'authenticated') {
    return (
      <AppLayout>
        <Outlet />
      </AppLayout>
    );
  }
  return (
    <PublicLayout>
      <Container size="lg" px="md" py={{ base: 'lg', sm: 40 }}>
        <Outlet />
      </Container>
    </PublicLayout>
  );
}
