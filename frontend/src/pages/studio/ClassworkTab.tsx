import { useState } from 'react';
import { ActionIcon, Badge, Button, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCalendarDue, IconChecklist, IconInbox, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createClasswork, deleteClasswork, studioKeys, updateClasswork, type Classwork, type ClassworkInput } from '../../api/studio';
import { describeError } from '../../components/formErrors';
import { QueryError } from '../../components/QueryError';
import { ClassworkFormModal } from './ClassworkFormModal';
import { ConfirmModal } from './ConfirmModal';
import { formatDateTime } from './datetime';
import { EmptyState } from '../../components/EmptyState';
import { useClassworkList } from './queries';

type ModalState = { mode: 'create' } | { mode: 'edit'; classwork: Classwork } | null;

function dueText(classwork: Classwork): { text: string; overdue: boolean } {
  if (!classwork.due_at) return { text: 'No due date', overdue: false };
  return { text: `Due ${formatDateTime(classwork.due_at)}`, overdue: new Date(classwork.due_at).getTime() < Date.now() };
}

/** The course's classwork: list, create, edit, delete, and a way to its submissions. */
export function ClassworkTab({ courseId, onShowSubmissions }: { courseId: string; onShowSubmissions: (classworkId: string) => void }) {
  const queryClient = useQueryClient();
  const key = studioKeys.classwork(courseId);
  const query = useClassworkList(courseId);
  const [modal, setModal] = useState<ModalState>(null);
  const [toDelete, setToDelete] = useState<Classwork | null>(null);

  async function save(input: ClassworkInput & { title: string }) {
    if (modal?.mode === 'edit') {
      const saved = await updateClasswork(modal.classwork.id, input);
      queryClient.setQueryData<Classwork[]>(key, (old) => old?.map((c) => (c.id === saved.id ? saved : c)));
      notifications.show({ color: 'teal', title: 'Classwork saved', message: `“${saved.title}” is updated.` });
    } else {
      const saved = await createClasswork(courseId, input);
      queryClient.setQueryData<Classwork[]>(key, (old) => [...(old ?? []), saved]);
      notifications.show({ color: 'teal', title: 'Classwork created', message: `Enrolled students can now hand in “${saved.title}”.` });
    }
    void queryClient.invalidateQueries({ queryKey: key });
  }

  const remove = useMutation({
    mutationFn: (classwork: Classwork) => deleteClasswork(classwork.id),
    onSuccess: (_data, classwork) => {
      queryClient.setQueryData<Classwork[]>(key, (old) => old?.filter((c) => c.id !== classwork.id));
      queryClient.removeQueries({ queryKey: studioKeys.submissions(classwork.id) });
      setToDelete(null);
      notifications.show({ color: 'teal', title: 'Classwork deleted', message: `“${classwork.title}” and its submissions were removed.` });
    },
  });

  const items = query.data ?? [];

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="md">
        <div>
          <Title order={2}>Classwork</Title>
          <Text size="sm" c="dimmed" mt={4}>
            Assignments that enrolled students hand in and you grade.
          </Text>
        </div>
        <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setModal({ mode: 'create' })}>
          New classwork
        </Button>
      </Group>

      {query.isPending ? (
        <Stack gap="md" aria-hidden>
          {[0, 1].map((i) => (
            <Card key={i}>
              <Skeleton height={18} width="40%" />
              <Skeleton height={12} width="25%" mt="sm" />
              <Skeleton height={12} width="80%" mt="md" />
            </Card>
          ))}
        </Stack>
      ) : query.isError && !query.data ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't load the classwork" />
      ) : items.length === 0 ? (
        <Card>
          <EmptyState
            bare
            headingOrder={3}
            icon={IconChecklist}
            title="No classwork yet"
            testId="classwork-empty"
            action={
              <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setModal({ mode: 'create' })}>
                Create classwork
              </Button>
            }
          >
            Set an exercise, a reflection or a project. Students enrolled in the course hand in their work, and you grade it with feedback.
          </EmptyState>
        </Card>
      ) : (
        <Stack gap="md" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((classwork) => {
            const due = dueText(classwork);
            return (
              <Card key={classwork.id} component="li" padding="md" data-testid="classwork-item">
                <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
                  <div style={{ minWidth: 0, flex: '1 1 260px' }}>
                    <Title order={3} style={{ overflowWrap: 'anywhere' }}>
                      {classwork.title}
                    </Title>
                    <Group gap="sm" mt={4} wrap="wrap">
                      <Group gap={4} wrap="nowrap">
                        <IconCalendarDue size={15} aria-hidden color="var(--mantine-color-gray-7)" />
                        <Text size="sm" c="dimmed">
                          {due.text}
                        </Text>
                      </Group>
                      {due.overdue && (
                        <Badge size="sm" variant="light" color="red">
                          Past due
                        </Badge>
                      )}
                      <Badge size="sm" variant="light" color="gray">
                        {classwork.max_points} points
                      </Badge>
                      {classwork.submission_count !== null && (
                        <Badge size="sm" variant="light" color={classwork.ungraded_count ? 'indigo' : 'gray'}>
                          {classwork.ungraded_count
                            ? `${classwork.ungraded_count} to grade`
                            : `${classwork.submission_count} handed in`}
                        </Badge>
                      )}
                    </Group>
                    {classwork.instructions.trim() && (
                      <Text size="sm" mt="xs" lineClamp={3} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                        {classwork.instructions}
                      </Text>
                    )}
                  </div>
                  <Group gap={4} wrap="nowrap">
                    <Button
                      variant="light"
                      size="sm"
                      leftSection={<IconInbox size={16} aria-hidden />}
                      onClick={() => onShowSubmissions(classwork.id)}
                      aria-label={`Submissions for ${classwork.title}`}
                    >
                      Submissions
                    </Button>
                    <ActionIcon variant="subtle" size="lg" aria-label={`Edit ${classwork.title}`} onClick={() => setModal({ mode: 'edit', classwork })}>
                      <IconPencil size={18} aria-hidden />
                    </ActionIcon>
                    <ActionIcon variant="subtle" color="red" size="lg" aria-label={`Delete ${classwork.title}`} onClick={() => setToDelete(classwork)}>
                      <IconTrash size={18} aria-hidden />
                    </ActionIcon>
                  </Group>
                </Group>
              </Card>
            );
          })}
        </Stack>
      )}

      <ClassworkFormModal
        opened={modal !== null}
        onClose={() => setModal(null)}
        classwork={modal?.mode === 'edit' ? modal.classwork : undefined}
        onSubmit={save}
      />

      <ConfirmModal
        opened={toDelete !== null}
        onClose={() => {
          setToDelete(null);
          remove.reset();
        }}
        title="Delete this classwork?"
        confirmLabel="Delete classwork"
        color="red"
        loading={remove.isPending}
        error={remove.isError ? describeError(remove.error) : null}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
      >
        <Text size="sm">
          “{toDelete?.title}” and every submission and grade for it will be removed. Students will no longer see it. This can't be undone.
        </Text>
      </ConfirmModal>
    </Stack>
  );
}
