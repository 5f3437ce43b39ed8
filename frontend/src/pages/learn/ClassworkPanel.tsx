import { Skeleton, Stack, Card } from '@mantine/core';
import { IconChecklist } from '@tabler/icons-react';
import { isApiError } from '../../api/client';
import { useClasswork, type CourseDetail } from '../../api/courses';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { ClassworkItem } from './ClassworkItem';
import { NotEnrolled } from './NotEnrolled';

/** The course's classwork with the student's own answers and grades. */
export function ClassworkPanel({ course }: { course: CourseDetail }) {
  const query = useClasswork(course.id);

  if (query.isPending) {
    return (
      <Stack gap="md" aria-busy="true" aria-label="Loading classwork">
        {[0, 1].map((i) => (
          <Card key={i}>
            <Skeleton height={20} width="50%" />
            <Skeleton height={12} width="30%" mt="sm" />
            <Skeleton height={12} width="90%" mt="lg" />
            <Skeleton height={12} width="80%" mt={8} />
          </Card>
        ))}
      </Stack>
    );
  }
  if (query.isError) {
    if (isApiError(query.error) && query.error.status === 403) {
      return <NotEnrolled courseRef={course.slug} headingOrder={2} what="its classwork" />;
    }
    return <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't load the classwork" />;
  }
  if (query.data.length === 0) {
    return (
      <EmptyState icon={IconChecklist} title="No classwork yet" testId="classwork-empty">
        When your teacher sets classwork for this course, it appears here with its due date.
      </EmptyState>
    );
  }
  return (
    <Stack gap="md" data-testid="classwork-list">
      {query.data.map((entry) => (
        <ClassworkItem key={entry.id} entry={entry} courseId={course.id} isTeacher={course.can_edit && !course.enrolled} />
      ))}
    </Stack>
  );
}
