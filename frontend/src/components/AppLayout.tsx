import { useEffect, type ReactNode } from 'react';
import {
  AppShell,
  Avatar,
  Badge,
  Box,
  Burger,
  Container,
  Group,
  Menu,
  NavLink,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconBooks,
  IconCash,
  IconCertificate,
  IconChevronDown,
  IconHistory,
  IconHome,
  IconLogout,
  IconPresentation,
  IconReceipt,
  IconSchool,
  IconUserCircle,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import type { Role, User } from '../api/types';
import { ROLE_COLORS, ROLE_LABELS } from '../auth/roles';
import { useSession, useSignOut } from '../auth/session';
import { Logo } from './Logo';
import { NotificationsMenu } from './NotificationsMenu';
import { MAIN_ID, SkipLink } from './SkipLink';

interface NavItem {
  label: string;
  to: string;
  icon: Icon;
}

const HOME: NavItem = { label: 'Home', to: '/home', icon: IconHome };
const ACCOUNT: NavItem = { label: 'Account', to: '/account', icon: IconUserCircle };
const USERS: NavItem = { label: 'Users & teachers', to: '/admin/users', icon: IconUsersGroup };
const STUDIO: NavItem = { label: 'Studio', to: '/studio', icon: IconPresentation };
const CATALOG: NavItem = { label: 'Courses', to: '/courses', icon: IconBooks };
const MY_COURSES: NavItem = { label: 'My courses', to: '/learn', icon: IconSchool };
const CERTIFICATES: NavItem = { label: 'Certificates', to: '/certificates', icon: IconCertificate };
const PURCHASES: NavItem = { label: 'Purchases', to: '/orders', icon: IconReceipt };
const PAYMENTS: NavItem = { label: 'Payments', to: '/admin/payments', icon: IconCash };
const AUDIT: NavItem = { label: 'Audit log', to: '/admin/audit', icon: IconHistory };

/** Navigation per role. Only pages that exist are listed. */
export function navItemsFor(role: Role): NavItem[] {
  switch (role) {
    case 'admin':
      return [HOME, CATALOG, MY_COURSES, CERTIFICATES, PURCHASES, STUDIO, USERS, PAYMENTS, AUDIT, ACCOUNT];
    case 'teacher':
    case 'instructor':
      return [HOME, CATALOG, MY_COURSES, CERTIFICATES, PURCHASES, STUDIO, ACCOUNT];
    default:
      return [HOME, CATALOG, MY_COURSES, CERTIFICATES, PURCHASES, ACCOUNT];
  }
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  return ((parts[0][0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1][0] ?? '') : '')).toUpperCase();
}

function UserMenu({ user }: { user: User }) {
  const signOut = useSignOut();
  return (
    <Menu position="bottom-end" width={240} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Account menu for ${user.name}`} data-testid="user-menu" style={{ borderRadius: 999 }} p={4}>
          <Group gap={8} wrap="nowrap">
            <Avatar color="indigo" radius="xl" size={34} src={user.avatar_url ?? null} aria-hidden>
              {initials(user.name)}
            </Avatar>
            <Box visibleFrom="sm" maw={180}>
              <Text size="sm" fw={600} truncate>
                {user.name}
              </Text>
            </Box>
            <IconChevronDown size={16} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Box px="sm" py={6}>
          <Text size="sm" fw={600} truncate>
            {user.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {user.email}
          </Text>
        </Box>
        <Menu.Divider />
        <Menu.Item component={Link} to="/account" leftSection={<IconUserCircle size={16} aria-hidden />}>
          Account
        </Menu.Item>
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => signOut.mutate()}
          disabled={signOut.isPending}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** The signed-in shell: header, role-aware navigation (a drawer on phones) and the main landmark. */
export function AppLayout({ children }: { children?: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { user } = useSession();
  const location = useLocation();

  useEffect(() => {
    close();
  }, [location.pathname, close]);

  if (!user) return null;
  const items = navItemsFor(user.role);

  return (
    <>
      <SkipLink />
      <AppShell
        header={{ height: 64 }}
        navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        padding={{ base: 'md', sm: 'xl' }}
        data-role={user.role}
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={opened ? 'Close navigation' : 'Open navigation'}
                aria-expanded={opened}
                aria-controls="app-navigation"
              />
              <Link to="/home" aria-label="Pathshala home" style={{ textDecoration: 'none' }}>
                <Logo />
              </Link>
            </Group>
            <Group gap={4} wrap="nowrap">
              <NotificationsMenu />
              <UserMenu user={user} />
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar p="sm" id="app-navigation" aria-label="Main navigation">
          <Stack gap={4} style={{ flex: 1 }}>
            {items.map((item) => {
              const active = location.pathname === item.to || location.pathname.startsWith(`${item.to}/`);
              return (
                <NavLink
                  key={item.to}
                  component={Link}
                  to={item.to}
                  label={item.label}
                  active={active}
                  aria-current={active ? 'page' : undefined}
                  leftSection={<item.icon size={20} stroke={1.6} aria-hidden />}
                  variant="light"
                  style={{ borderRadius: 'var(--mantine-radius-md)' }}
                  fw={active ? 600 : 500}
                />
              );
            })}
          </Stack>
          <Box px="xs" pt="md" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
            <Text size="xs" c="dimmed">
              Signed in as
            </Text>
            <Group gap={6} mt={4} wrap="nowrap">
              <Text size="sm" fw={600} truncate>
                {user.name}
              </Text>
              <Badge size="sm" variant="light" color={ROLE_COLORS[user.role]} data-testid="role-badge">
                {ROLE_LABELS[user.role]}
              </Badge>
            </Group>
          </Box>
        </AppShell.Navbar>

        <AppShell.Main id={MAIN_ID} tabIndex={-1} bg="gray.0" style={{ outline: 'none' }}>
          <Container size="lg" px={0}>
            {children ?? <Outlet />}
          </Container>
        </AppShell.Main>
      </AppShell>
    </>
  );
}
