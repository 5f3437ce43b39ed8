import { Anchor, Breadcrumbs, Card, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { createCourse, studioKeys } from '../../api/studio';
import { usePageTitle } from '../../components/usePageTitle';
import { CourseDetailsForm } from './CourseDetailsForm';

/** /studio/courses/new: a course starts as a draft; lessons and classwork come next. */
export function NewCoursePage() {
  usePageTitle('New course');
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  return (
    <Stack gap="lg">
      <div>
        <Breadcrumbs aria-label="Breadcrumb" mb="xs">
          <Anchor component={Link} to="/studio" size="sm">
            Studio
          </Anchor>
          <Text size="sm" c="dimmed" aria-current="page">
            New course
          </Text>
        </Breadcrumbs>
        <Title order={1}>New course</Title>
        <Text c="dimmed" mt={6}>
          Start with the basics. The course stays a private draft until you publish it, and you can change all of this later.
        </Text>
      </div>
      <Card>
        <CourseDetailsForm
          submitLabel="Create course"
          onSubmit={async (input) => {
            const course = await createCourse(input);
            void queryClient.invalidateQueries({ queryKey: studioKeys.lists() });
            notifications.show({ color: 'teal', title: 'Course created', message: 'Next, add its lessons. It stays a draft until you publish it.' });
            navigate(`/studio/courses/${course.id}?tab=lessons`, { replace: true });
          }}
        />
      </Card>
    </Stack>
  );
}
