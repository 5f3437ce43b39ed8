import { useState } from 'react';
import { Button, Card, Divider, Group, List, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArchive, IconArchiveOff, IconExternalLink, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { deleteCourse, studioKeys, updateCourse, type CourseForEditor, type CourseUpdate } from '../../api/studio';
import { describeError } from '../../components/formErrors';
import { formatDate } from '../account/AccountPage';
import { ConfirmModal } from './ConfirmModal';
import { CourseStatusBadge, courseStatus } from './CourseStatusBadge';
import { useStoreCourse } from './queries';

type Dialog = null | 'publish' | 'unpublish' | 'archive' | 'delete';

const STATUS_SENTENCE = {
  draft: 'Only you (and admins) can see this course. Publish it when it is ready.',
  published: 'Listed in the catalog: anyone can find it, and students can enroll.',
  archived: 'Out of the catalog and closed to new students. Students already enrolled keep access.',
} as const;

/** Publish toggle, archive / unarchive, delete, and the link to the public page. */
export function CourseStatusCard({ course }: { course: CourseForEditor }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const storeCourse = useStoreCourse();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [deleteBlocked, setDeleteBlocked] = useState(false);
  const status = courseStatus(course);

  const close = () => {
    setDialog(null);
    setDialogError(null);
    setDeleteBlocked(false);
  };

  const update = useMutation({
    mutationFn: (input: CourseUpdate) => updateCourse(course.id, input),
    onSuccess: (saved, input) => {
      storeCourse(saved);
      close();
      const message =
        input.is_published === true
          ? 'Your course is published.'
          : input.is_published === false
            ? 'Your course is a draft again.'
            : input.archived === true
              ? 'Your course is archived.'
              : 'Your course is back from the archive.';
      notifications.show({ color: 'teal', title: 'Saved', message });
    },
    onError: (error) => {
      if (dialog) setDialogError(describeError(error));
      else notifications.show({ color: 'red', title: "We couldn't save that", message: describeError(error) });
    },
  });

  const remove = useMutation({
    mutationFn: () => deleteCourse(course.id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: studioKeys.course(course.id) });
      void queryClient.invalidateQueries({ queryKey: studioKeys.lists() });
      notifications.show({ color: 'teal', title: 'Course deleted', message: `“${course.title}” is gone for good.` });
      navigate('/studio', { replace: true });
    },
    onError: (error) => {
      if (isApiError(error) && error.code === 'course_has_enrollments') {
        setDeleteBlocked(true);
        setDialogError(null);
      } else {
        setDialogError(describeError(error));
      }
    },
  });

  return (
    <Card>
      <Stack gap="md">
        <div>
          <Group justify="space-between" gap="xs">
            <Title order={2}>Status</Title>
            <CourseStatusBadge course={course} size="lg" />
          </Group>
          <Text size="sm" c="dimmed" mt={6}>
            {STATUS_SENTENCE[status]}
          </Text>
          {course.published_at && (
            <Text size="xs" c="dimmed" mt={4}>
              First published {formatDate(course.published_at)}
            </Text>
          )}
        </div>

        <Switch
          size="md"
          label="Published"
          description={course.is_published ? 'Turn off to make it a draft again' : 'Turn on to list it in the catalog'}
          checked={course.is_published}
          onChange={() => {
            setDialogError(null);
            setDialog(course.is_published ? 'unpublish' : 'publish');
          }}
          disabled={update.isPending}
        />

        <Button
          component={Link}
          to={`/courses/${course.slug}`}
          variant="light"
          leftSection={<IconExternalLink size={16} aria-hidden />}
          fullWidth
        >
          View public page
        </Button>

        <Divider />

        <Stack gap="xs">
          {course.archived_at ? (
            <Button
              variant="default"
              leftSection={<IconArchiveOff size={16} aria-hidden />}
              onClick={() => update.mutate({ archived: false })}
              loading={update.isPending && update.variables?.archived === false}
              fullWidth
            >
              Unarchive
            </Button>
          ) : (
            <Button
              variant="default"
              leftSection={<IconArchive size={16} aria-hidden />}
              onClick={() => {
                setDialogError(null);
                setDialog('archive');
              }}
              fullWidth
            >
              Archive
            </Button>
          )}
          <Button
            variant="outline"
            color="red"
            leftSection={<IconTrash size={16} aria-hidden />}
            onClick={() => {
              setDialogError(null);
              setDeleteBlocked(false);
              setDialog('delete');
            }}
            fullWidth
          >
            Delete course
          </Button>
        </Stack>
      </Stack>

      <ConfirmModal
        opened={dialog === 'publish'}
        onClose={close}
        title="Publish this course?"
        confirmLabel="Publish"
        loading={update.isPending}
        error={dialogError}
        onConfirm={() => update.mutate({ is_published: true })}
      >
        <Text size="sm">Publishing makes “{course.title}” public:</Text>
        <List size="sm" mt="xs" spacing={4}>
          <List.Item>it appears in the catalog and search, with its description and lesson titles;</List.Item>
          <List.Item>{course.price === 0 ? 'anyone signed in can enroll for free;' : 'students can buy it and start learning;'}</List.Item>
          <List.Item>free-preview lessons can be watched by anyone signed in.</List.Item>
        </List>
        {course.archived_at && (
          <Text size="sm" mt="xs" fw={600}>
            The course is archived, so it stays out of the catalog until you unarchive it.
          </Text>
        )}
      </ConfirmModal>

      <ConfirmModal
        opened={dialog === 'unpublish'}
        onClose={close}
        title="Make this course a draft again?"
        confirmLabel="Unpublish"
        loading={update.isPending}
        error={dialogError}
        onConfirm={() => update.mutate({ is_published: false })}
      >
        <Text size="sm">
          “{course.title}” leaves the catalog, and enrolled students can no longer open it until you publish it again. To retire a course but
          keep it for the students who have it, archive it instead.
        </Text>
      </ConfirmModal>

      <ConfirmModal
        opened={dialog === 'archive'}
        onClose={close}
        title="Archive this course?"
        confirmLabel="Archive"
        loading={update.isPending}
        error={dialogError}
        onConfirm={() => update.mutate({ archived: true })}
      >
        <Text size="sm">
          “{course.title}” leaves the catalog and nobody new can enroll. Students already enrolled keep their access. You can unarchive it at
          any time.
        </Text>
      </ConfirmModal>

      <ConfirmModal
        opened={dialog === 'delete'}
        onClose={close}
        title={deleteBlocked ? "This course can't be deleted" : 'Delete this course?'}
        confirmLabel={deleteBlocked ? (course.archived_at ? 'OK' : 'Archive instead') : 'Delete course'}
        cancelLabel={deleteBlocked ? (course.archived_at ? 'Close' : 'Not now') : 'Cancel'}
        color={deleteBlocked ? 'indigo' : 'red'}
        loading={remove.isPending || update.isPending}
        error={dialogError}
        onConfirm={() => {
          if (!deleteBlocked) remove.mutate();
          else if (course.archived_at) close();
          else update.mutate({ archived: true });
        }}
      >
        {deleteBlocked ? (
          <Text size="sm" data-testid="delete-blocked">
            Students have enrolled in “{course.title}”, so it can't be deleted: they keep what they joined. Archive it instead. It leaves the
            catalog and nobody new can enroll, while enrolled students keep their access.
            {course.archived_at ? ' This course is already archived.' : ''}
          </Text>
        ) : (
          <Text size="sm">
            “{course.title}”, its lessons and its classwork will be removed for good. This can't be undone. A course that students have enrolled
            in can only be archived.
          </Text>
        )}
      </ConfirmModal>
    </Card>
  );
}
