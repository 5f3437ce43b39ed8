import type { ReactNode } from 'react';
import { ActionIcon, Anchor, Box, Button, Container, Group, Text } from '@mantine/core';
import { IconBooks } from '@tabler/icons-react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useSession } from '../auth/session';
import { Logo } from './Logo';
import classes from './PublicLayout.module.css';
import { MAIN_ID, SkipLink } from './SkipLink';

/** Layout for visitors: landing, sign-up, log-in and password pages, and the catalog for visitors. */
export function PublicLayout({ children }: { children?: ReactNode }) {
  const { status } = useSession();
  const { pathname } = useLocation();
  return (
    <Box mih="100vh" style={{ display: 'flex', flexDirection: 'column' }} bg="gray.0">
      <SkipLink />
      <Box component="header" bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="lg" h={64}>
          <Group h="100%" justify="space-between" wrap="nowrap" gap="xs">
            <Link to="/" aria-label="Pathshala home" style={{ textDecoration: 'none' }}>
              {/* A smaller mark on phones leaves room for the catalog, log-in and sign-up. */}
              <Box visibleFrom="xs">
                <Logo />
              </Box>
              <Box hiddenFrom="xs">
                <Logo size="md" />
              </Box>
            </Link>
            <Group gap={4} wrap="nowrap" component="nav" aria-label="Site" className={classes.headerActions}>
              {/* Phones get an icon for the catalog so log-in and sign-up still fit beside the logo. */}
              <Button
                component={Link}
                to="/courses"
                variant="subtle"
                color="dark"
                visibleFrom="sm"
                leftSection={<IconBooks size={18} aria-hidden />}
                aria-current={pathname.startsWith('/courses') ? 'page' : undefined}
              >
                Browse courses
              </Button>
              <ActionIcon
                component={Link}
                to="/courses"
                variant="subtle"
                color="dark"
                size={34}
                hiddenFrom="sm"
                aria-label="Browse courses"
                aria-current={pathname.startsWith('/courses') ? 'page' : undefined}
              >
                <IconBooks size={20} aria-hidden />
              </ActionIcon>
              {status === 'authenticated' ? (
                <>
                  <Button component={Link} to="/home" variant="subtle" visibleFrom="xs">
                    Dashboard
                  </Button>
                  <Button component={Link} to="/learn" className={classes.headerButton}>
                    My courses
                  </Button>
                </>
              ) : (
                <>
                  {pathname !== '/login' && (
                    <Button component={Link} to="/login" variant="subtle" className={classes.headerButton}>
                      Log in
                    </Button>
                  )}
                  {pathname !== '/signup' && (
                    <Button component={Link} to="/signup" className={classes.headerButton}>
                      Sign up
                    </Button>
                  )}
                </>
              )}
            </Group>
          </Group>
        </Container>
      </Box>
      <Box component="main" id={MAIN_ID} tabIndex={-1} style={{ flex: 1, outline: 'none' }}>
        {children ?? <Outlet />}
      </Box>
      <Box component="footer" py="lg" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }} bg="white">
        <Container size="lg">
          <Group justify="space-between" gap="xs">
            <Text size="sm" c="dimmed">
              © {new Date().getFullYear()} Pathshala. Courses from independent teachers.
            </Text>
            <Anchor component={Link} to="/forgot-password" size="sm">
              Trouble signing in?
            </Anchor>
          </Group>
        </Container>
      </Box>
    </Box>
  );
}

/** A centred card used by the sign-up, log-in and password pages. */
export function AuthCard({ children, width = 460 }: { children: ReactNode; width?: number }) {
  return (
    <Container size={width} py={{ base: 'xl', sm: 48 }} px="md">
      <Box bg="white" p={{ base: 'lg', sm: 'xl' }} style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-lg)', boxShadow: 'var(--mantine-shadow-sm)' }}>
        {children}
      </Box>
    </Container>
  );
}
