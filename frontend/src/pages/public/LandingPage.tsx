import { Badge, Box, Button, Card, Container, Flex, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import {
  IconArrowRight,
  IconCertificate,
  IconChalkboard,
  IconCoinRupee,
  IconDeviceMobile,
  IconLock,
  IconPlayerPlay,
  type Icon,
} from '@tabler/icons-react';
import { Link, Navigate } from 'react-router-dom';
import { useSession } from '../../auth/session';
import { FullPageLoader } from '../../components/FullPageState';
import { usePageTitle } from '../../components/usePageTitle';

interface Feature {
  icon: Icon;
  title: string;
  text: string;
}

const LEARNER_FEATURES: Feature[] = [
  { icon: IconPlayerPlay, title: 'Learn at your pace', text: 'Video lessons that remember where you stopped, on any device.' },
  { icon: IconChalkboard, title: 'Real teachers', text: 'Classwork graded by the person who wrote the course, not a bot.' },
  { icon: IconCertificate, title: 'Certificates that verify', text: 'Finish a course and get a certificate anyone can check online.' },
];

const TEACHER_FEATURES: Feature[] = [
  { icon: IconCoinRupee, title: 'Get paid directly', text: 'Set your price in rupees; students pay securely online.' },
  { icon: IconLock, title: 'Your videos stay yours', text: 'Lessons stream through short-lived links tied to each student.' },
  { icon: IconDeviceMobile, title: 'Works on every phone', text: 'Students learn from a phone, a tablet or a laptop.' },
];

function FeatureCard({ feature }: { feature: Feature }) {
  return (
    <Card>
      <ThemeIcon variant="light" size={42} radius="md" aria-hidden>
        <feature.icon size={22} />
      </ThemeIcon>
      <Title order={3} mt="md">
        {feature.title}
      </Title>
      <Text size="sm" c="dimmed" mt={6}>
        {feature.text}
      </Text>
    </Card>
  );
}

export function LandingPage() {
  usePageTitle('');
  const { status } = useSession();
  if (status === 'loading') return <FullPageLoader />;
  if (status === 'authenticated') return <Navigate to="/home" replace />;

  return (
    <>
      <Box bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="lg" py={{ base: 48, sm: 88 }}>
          <Stack gap="lg" maw={720}>
            <Badge variant="light" size="md" w="fit-content" maw="100%">
              Courses from independent teachers
            </Badge>
            <Title order={1} fz={{ base: 34, sm: 48 }} lh={1.1} style={{ letterSpacing: '-0.02em' }}>
              Learn from teachers who know their subject, at your own pace.
            </Title>
            <Text size="lg" c="dimmed" maw={600}>
              Pathshala brings video lessons, classwork and certificates together in one place, whether you are here to
              learn or to teach.
            </Text>
            {/* Full-width, stacked buttons on phones: "Create a free account" at size lg is wider than 360px. */}
            <Flex gap="sm" direction={{ base: 'column', xs: 'row' }}>
              <Button component={Link} to="/signup" size="lg" rightSection={<IconArrowRight size={18} aria-hidden />}>
                Create a free account
              </Button>
              <Button component={Link} to="/login" size="lg" variant="default">
                Log in
              </Button>
            </Flex>
          </Stack>
        </Container>
      </Box>

      <Container size="lg" py={{ base: 40, sm: 64 }}>
        <Title order={2} fz={{ base: 24, sm: 28 }}>
          For learners
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg" mt="lg">
          {LEARNER_FEATURES.map((f) => (
            <FeatureCard key={f.title} feature={f} />
          ))}
        </SimpleGrid>

        <Group justify="space-between" align="flex-end" mt={56} gap="md">
          <Title order={2} fz={{ base: 24, sm: 28 }}>
            For teachers
          </Title>
          <Button component={Link} to="/signup?role=teacher" variant="light" rightSection={<IconArrowRight size={16} aria-hidden />}>
            Start teaching
          </Button>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg" mt="lg">
          {TEACHER_FEATURES.map((f) => (
            <FeatureCard key={f.title} feature={f} />
          ))}
        </SimpleGrid>
      </Container>
    </>
  );
}
