import { Badge, Button, Card, Group, List, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import {
  IconArrowRight,
  IconBook2,
  IconCertificate,
  IconChecklist,
  IconCoinRupee,
  IconPlayerPlay,
  IconSchool,
  IconShieldCheck,
  IconUserCircle,
  IconUserPlus,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { Role } from '../../api/types';
import { ROLE_COLORS, ROLE_LABELS } from '../../auth/roles';
import { useSession } from '../../auth/session';
import { usePageTitle } from '../../components/usePageTitle';

interface Capability {
  icon: Icon;
  text: string;
}

interface RoleIntro {
  heading: string;
  summary: string;
  capabilities: Capability[];
}

const INTRO: Record<'student' | 'author' | 'admin', RoleIntro> = {
  student: {
    heading: 'What you can do as a student',
    summary: 'Your student account is how you learn on Pathshala.',
    capabilities: [
      { icon: IconSchool, text: 'Join courses from independent teachers, free or paid.' },
      { icon: IconPlayerPlay, text: 'Watch lessons at your own pace; your progress is saved.' },
      { icon: IconChecklist, text: 'Hand in classwork and get it graded by your teacher.' },
      { icon: IconCertificate, text: 'Earn a verifiable certificate when you finish a course.' },
    ],
  },
  author: {
    heading: 'What you can do as a teacher',
    summary: 'Your teacher account lets you build and run your own courses.',
    capabilities: [
      { icon: IconBook2, text: 'Create courses with video lessons, attachments and free previews.' },
      { icon: IconCoinRupee, text: 'Set a price in rupees or offer a course for free.' },
      { icon: IconChecklist, text: 'Give classwork and grade what your students hand in.' },
      { icon: IconUsersGroup, text: 'See who enrolled and how far each student has got.' },
    ],
  },
  admin: {
    heading: 'What you can do as an admin',
    summary: 'Your admin account looks after the whole platform.',
    capabilities: [
      { icon: IconUserPlus, text: 'Create teacher accounts for the people who teach here.' },
      { icon: IconUsersGroup, text: 'Find any user by name or email and see their role and status.' },
      { icon: IconShieldCheck, text: 'Oversee every course, payment and enrollment on Pathshala.' },
    ],
  },
};

function introFor(role: Role): RoleIntro {
  if (role === 'admin') return INTRO.admin;
  if (role === 'teacher' || role === 'instructor') return INTRO.author;
  return INTRO.student;
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name;
}

export function HomePage() {
  usePageTitle('Home');
  const { user } = useSession();
  if (!user) return null;
  const intro = introFor(user.role);

  return (
    <Stack gap="xl" data-testid={`home-${user.role}`}>
      <div>
        <Group gap="sm" align="center">
          <Title order={1}>Welcome, {firstName(user.name)}</Title>
          <Badge size="lg" variant="light" color={ROLE_COLORS[user.role]}>
            {ROLE_LABELS[user.role]}
          </Badge>
        </Group>
        <Text c="dimmed" mt={6}>
          You're signed in as <strong>{user.email}</strong> with a {ROLE_LABELS[user.role].toLowerCase()} account.
        </Text>
      </div>

      <Card>
        <Title order={2}>{intro.heading}</Title>
        <Text c="dimmed" size="sm" mt={4}>
          {intro.summary}
        </Text>
        <List spacing="md" mt="lg" center>
          {intro.capabilities.map((capability) => (
            <List.Item
              key={capability.text}
              icon={
                <ThemeIcon variant="light" color={ROLE_COLORS[user.role]} size={34} radius="md" aria-hidden>
                  <capability.icon size={18} />
                </ThemeIcon>
              }
            >
              <Text size="sm">{capability.text}</Text>
            </List.Item>
          ))}
        </List>
      </Card>

      <SimpleGrid cols={{ base: 1, sm: user.role === 'admin' ? 2 : 1 }} spacing="lg">
        {user.role === 'admin' && (
          <Card>
            <Group gap="sm" wrap="nowrap" align="flex-start">
              <ThemeIcon variant="light" color="grape" size={40} radius="md" aria-hidden>
                <IconUsersGroup size={22} />
              </ThemeIcon>
              <div>
                <Title order={2} size="h3">
                  Users & teachers
                </Title>
                <Text size="sm" c="dimmed" mt={4}>
                  Add a teacher account or look someone up.
                </Text>
              </div>
            </Group>
            <Button component={Link} to="/admin/users" mt="md" variant="light" rightSection={<IconArrowRight size={16} aria-hidden />}>
              Manage users
            </Button>
          </Card>
        )}
        <Card>
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <ThemeIcon variant="light" color="indigo" size={40} radius="md" aria-hidden>
              <IconUserCircle size={22} />
            </ThemeIcon>
            <div>
              <Title order={2} size="h3">
                Your account
              </Title>
              <Text size="sm" c="dimmed" mt={4}>
                Change your name or password, or sign out of every device.
              </Text>
            </div>
          </Group>
          <Button component={Link} to="/account" mt="md" variant="light" rightSection={<IconArrowRight size={16} aria-hidden />}>
            Manage account
          </Button>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
