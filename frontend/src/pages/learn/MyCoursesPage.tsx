import { Badge, Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconArrowRight, IconCertificate, IconSchool } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useMyCourses, type MyCourse } from '../../api/courses';
import { CourseCard, CourseCardSkeleton } from '../../components/CourseCard';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { usePageTitle } from '../../components/usePageTitle';
import { CourseProgressBar } from './LearnOutline';

const GRID_COLS = { base: 1, '520px': 2, '860px': 3 };

/** What the card's way in says: where the student stands in the course. */
export function continueLabel(progress: MyCourse['progress']): string {
  if (!progress.last_activity_at) return 'Start';
  if (progress.total_lessons > 0 && progress.completed_lessons >= progress.total_lessons) return 'Review';
  return 'Continue';
}

export function MyCoursesPage() {
  usePageTitle('My courses');
  const query = useMyCourses();
  const items = query.data ?? [];

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="sm">
        <div>
          <Title order={1}>My courses</Title>
          <Text c="dimmed" mt={6}>
            {query.data && items.length > 0
              ? `You're enrolled in ${items.length} ${items.length === 1 ? 'course' : 'courses'}.`
              : 'Courses you join appear here.'}
          </Text>
        </div>
        {items.length > 0 && (
          <Button component={Link} to="/courses" variant="light" rightSection={<IconArrowRight size={16} aria-hidden />}>
            Find more courses
          </Button>
        )}
      </Group>

      {query.isPending ? (
        <SimpleGrid type="container" cols={GRID_COLS} spacing="lg" aria-busy="true" aria-label="Loading your courses">
          {Array.from({ length: 3 }, (_, i) => (
            <CourseCardSkeleton key={i} />
          ))}
        </SimpleGrid>
      ) : query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't load your courses" />
      ) : items.length === 0 ? (
        <EmptyState
          icon={IconSchool}
          title="You haven't joined a course yet"
          testId="my-courses-empty"
          action={
            <Button component={Link} to="/courses" rightSection={<IconArrowRight size={16} aria-hidden />}>
              Browse courses
            </Button>
          }
        >
          Find something you want to learn. Many courses are free to join.
        </EmptyState>
      ) : (
        <SimpleGrid type="container" cols={GRID_COLS} spacing="lg" data-testid="my-courses">
          {items.map(({ enrollment_id, course, progress, certificate_code }) => (
            <CourseCard
              key={enrollment_id}
              course={course}
              to={`/learn/${course.slug}`}
              badges={
                <>
                  {certificate_code && (
                    <Badge color="teal" variant="light" size="sm" leftSection={<IconCertificate size={12} aria-hidden />}>
                      Certificate earned
                    </Badge>
                  )}
                  {course.archived_at && (
                    <Badge color="gray" variant="light" size="sm">
                      Archived
                    </Badge>
                  )}
                </>
              }
              extra={progress.total_lessons > 0 ? <CourseProgressBar progress={progress} /> : undefined}
              action={
                <Text size="sm" fw={600} c="indigo.8" style={{ whiteSpace: 'nowrap' }}>
                  {continueLabel(progress)} <IconArrowRight size={14} aria-hidden style={{ verticalAlign: -2 }} />
                </Text>
              }
            />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
