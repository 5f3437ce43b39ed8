import { Button, Center, Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLock, IconQuestionMark } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { AccessProblem } from './queries';

/**
 * A course the signed-in teacher may not edit: the API answered 403 (someone else's course)
 * or 404 (no such course, or someone else's unpublished draft, which the API keeps hidden).
 */
export function CantEditState({ problem, publicSlug }: { problem: AccessProblem; publicSlug?: string }) {
  const forbidden = problem === 'forbidden';
  return (
    <Center py={56} data-testid={forbidden ? 'course-cant-edit' : 'course-not-found'}>
      <Stack align="center" gap="sm" maw={520} ta="center">
        <ThemeIcon size={56} radius="xl" variant="light" color={forbidden ? 'red' : 'gray'} aria-hidden>
          {forbidden ? <IconLock size={28} /> : <IconQuestionMark size={28} />}
        </ThemeIcon>
        <Title order={1}>{forbidden ? "You can't edit this course" : "We can't find this course"}</Title>
        <Text c="dimmed">
          {forbidden
            ? 'It belongs to another teacher. Only the teacher who created a course, or a Pathshala admin, can change it.'
            : 'It may have been deleted, or it is an unpublished draft that belongs to another teacher.'}
        </Text>
        <Group justify="center" gap="sm" mt="sm">
          <Button component={Link} to="/studio">
            Back to your courses
          </Button>
          {forbidden && publicSlug && (
            <Button component={Link} to={`/courses/${publicSlug}`} variant="default">
              View the public page
            </Button>
          )}
        </Group>
      </Stack>
    </Center>
  );
}
