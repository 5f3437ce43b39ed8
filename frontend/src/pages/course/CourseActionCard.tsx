import { useState } from 'react';
import { Alert, Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconArrowRight, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router-dom';
import { useEnrollFree, type CourseDetail } from '../../api/courses';
import { useSession } from '../../auth/session';
import { CourseThumbnail } from '../../components/CourseThumbnail';
import { describeError } from '../../components/formErrors';
import { formatCoursePrice } from '../../components/money';
import { readCheckoutReturn } from '../payments/checkout';
import { BuyCourse } from './BuyCourse';

/** What the visitor can do with this course: enroll, buy, or continue. */
function CourseAction({ course }: { course: CourseDetail }) {
  const { status } = useSession();
  const location = useLocation();
  const enroll = useEnrollFree();
  const [justEnrolled, setJustEnrolled] = useState(false);
  const [justBought, setJustBought] = useState(false);
  const learnPath = `/learn/${course.slug}`;

  // Keep the checkout's success message (receipt, "Start learning") once the course unlocks,
  // and let a buyer back from Stripe's checkout see it confirmed (its webhook may have won).
  const backFromCheckout = readCheckoutReturn(location.search) !== null && course.price > 0 && !course.can_edit;
  if (justBought || backFromCheckout) return <BuyCourse course={course} onPaid={() => setJustBought(true)} />;

  if (justEnrolled && course.enrolled) {
    return (
      <Stack gap="sm">
        <Alert color="teal" variant="light" icon={<IconCircleCheck size={20} aria-hidden />} role="status" title="You're enrolled">
          The whole course is open to you now.
        </Alert>
        <Button component={Link} to={learnPath} size="md" fullWidth rightSection={<IconArrowRight size={18} aria-hidden />}>
          Go to course
        </Button>
      </Stack>
    );
  }

  if (course.enrolled) {
    return (
      <Stack gap="xs">
        <Button component={Link} to={learnPath} size="md" fullWidth rightSection={<IconArrowRight size={18} aria-hidden />}>
          Continue learning
        </Button>
        <Text size="sm" c="dimmed" ta="center">
          You're enrolled in this course.
        </Text>
      </Stack>
    );
  }

  if (course.can_edit) {
    return (
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          You teach this course, so every lesson is open to you.
        </Text>
        <Button component={Link} to={learnPath} variant="light" size="md" fullWidth>
          Open the learning view
        </Button>
      </Stack>
    );
  }

  if (course.archived_at || !course.is_published) {
    return (
      <Group gap={8} wrap="nowrap" align="flex-start">
        <IconInfoCircle size={18} aria-hidden style={{ flex: 'none', marginTop: 2 }} />
        <Text size="sm">This course is not open for new enrollments.</Text>
      </Group>
    );
  }

  if (course.price > 0) return <BuyCourse course={course} onPaid={() => setJustBought(true)} />;

  if (status !== 'authenticated') {
    const back = `${location.pathname}${location.search}`;
    return (
      <Stack gap="xs">
        <Button component={Link} to={`/login?next=${encodeURIComponent(back)}`} size="md" fullWidth>
          Enroll free
        </Button>
        <Text size="sm" c="dimmed" ta="center">
          Log in or create a free account to enroll.
        </Text>
      </Stack>
    );
  }

  return (
    <Stack gap="xs">
      {enroll.isError && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="We couldn't enroll you">
          {describeError(enroll.error)}
        </Alert>
      )}
      <Button
        size="md"
        fullWidth
        loading={enroll.isPending}
        onClick={() => enroll.mutate(course, { onSuccess: () => setJustEnrolled(true) })}
      >
        Enroll free
      </Button>
      <Text size="sm" c="dimmed" ta="center">
        No payment needed. Every lesson opens when you enroll.
      </Text>
    </Stack>
  );
}

/** The price and the call to action, beside the course's cover. */
export function CourseActionCard({ course }: { course: CourseDetail }) {
  return (
    <Card padding={0} shadow="sm" data-testid="course-action-card">
      <CourseThumbnail course={course} />
      <Stack p="lg" gap="md">
        <Text fz={30} fw={800} lh={1} c={course.price === 0 ? 'teal.9' : 'dark.8'} data-testid="course-price">
          {formatCoursePrice(course.price)}
        </Text>
        <CourseAction course={course} />
      </Stack>
    </Card>
  );
}
