import { useEffect, useMemo, useRef, useState } from 'react';
import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Card,
  Flex,
  Group,
  Loader,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconBook2, IconChevronDown, IconChevronUp, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  addLesson,
  deleteLesson,
  reorderLessons,
  studioKeys,
  updateLesson,
  type Lesson,
  type LessonInput,
  type LessonOrderItem,
} from '../../api/studio';
import { describeError } from '../../components/formErrors';
import { QueryError } from '../../components/QueryError';
import { ConfirmModal } from './ConfirmModal';
import { formatDuration, formatTotalDuration } from './duration';
import { EmptyState } from '../../components/EmptyState';
import { LessonFormModal } from './LessonFormModal';
import {
  canMove,
  flattenSections,
  groupIntoSections,
  moveLesson,
  moveSection,
  needsNormalising,
  sectionLabel,
  toOrderItems,
  type Direction,
  type Section,
} from './lessonOrder';
import { useLessons } from './queries';

type ModalState = { mode: 'add'; section: string } | { mode: 'edit'; lesson: Lesson } | null;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function LoadingLessons() {
  return (
    <Stack gap="md" aria-hidden>
      {[0, 1].map((i) => (
        <Card key={i}>
          <Skeleton height={18} width="35%" />
          <Skeleton height={48} mt="md" />
          <Skeleton height={48} mt="sm" />
        </Card>
      ))}
    </Stack>
  );
}

/**
 * Lessons grouped into sections, with add / edit / delete and keyboard-friendly reordering:
 * every lesson and section has move-up and move-down buttons. A move shows at once and is
 * saved with PUT lessons/order; if saving fails the previous order comes back.
 */
export function LessonsTab({ courseId }: { courseId: string }) {
  const queryClient = useQueryClient();
  const key = studioKeys.lessons(courseId);
  const reorderKey = ['studio', 'reorder', courseId];
  const query = useLessons(courseId);
  const [modal, setModal] = useState<ModalState>(null);
  const [toDelete, setToDelete] = useState<Lesson | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const buttons = useRef(new Map<string, HTMLButtonElement | null>());
  const pendingFocus = useRef<{ key: string; fallback: string } | null>(null);

  const sections = useMemo(() => groupIntoSections(query.data ?? []), [query.data]);
  const lessonCount = query.data?.length ?? 0;
  const totalSeconds = (query.data ?? []).reduce((sum, l) => sum + l.duration_seconds, 0);

  // After a move, keep keyboard focus on the button that moved the lesson (or its twin at an edge).
  useEffect(() => {
    const target = pendingFocus.current;
    if (!target) return;
    pendingFocus.current = null;
    const first = buttons.current.get(target.key);
    const el = first && !first.disabled ? first : buttons.current.get(target.fallback);
    el?.focus();
  }, [query.data]);

  const refreshCourse = () => {
    void queryClient.invalidateQueries({ queryKey: studioKeys.course(courseId), exact: true });
    void queryClient.invalidateQueries({ queryKey: studioKeys.lists() });
  };

  const reorder = useMutation({
    mutationKey: reorderKey,
    mutationFn: (vars: { items: LessonOrderItem[]; previous: Lesson[] | undefined }) => reorderLessons(courseId, vars.items),
    onSuccess: (saved) => {
      // Only the last of several quick moves may replace what is on screen.
      if (queryClient.isMutating({ mutationKey: reorderKey }) <= 1) queryClient.setQueryData(key, saved);
    },
    onError: (error, vars) => {
      queryClient.setQueryData(key, vars.previous);
      setAnnouncement('The new order could not be saved, so the previous order is back.');
      notifications.show({ color: 'red', title: "Couldn't save the new order", message: `${describeError(error)} The previous order is back.` });
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });

  function applyOrder(next: Section[], message: string) {
    const previous = queryClient.getQueryData<Lesson[]>(key);
    void queryClient.cancelQueries({ queryKey: key });
    queryClient.setQueryData(key, flattenSections(next));
    setAnnouncement(message);
    reorder.mutate({ items: toOrderItems(next), previous });
  }

  function move(lesson: Lesson, direction: Direction) {
    const result = moveLesson(sections, lesson.id, direction);
    if (!result) return;
    const where = result.changedSection ? `into ${sectionLabel(result.sectionTitle)}, ` : '';
    pendingFocus.current = { key: `lesson:${lesson.id}:${direction}`, fallback: `lesson:${lesson.id}:${direction === 'up' ? 'down' : 'up'}` };
    applyOrder(result.sections, `${lesson.title} moved ${direction} ${where}now ${result.indexInSection} of ${sectionLabel(result.sectionTitle)}.`);
  }

  function shiftSection(index: number, direction: Direction) {
    const next = moveSection(sections, index, direction);
    if (!next) return;
    const title = sections[index].title;
    pendingFocus.current = { key: `section:${title}:${direction}`, fallback: `section:${title}:${direction === 'up' ? 'down' : 'up'}` };
    applyOrder(next, `Section ${sectionLabel(title)} moved ${direction}, now section ${next.findIndex((s) => s.title === title) + 1} of ${next.length}.`);
  }

  /** Keep stored positions in the grouped order after a lesson joins or leaves a section. */
  async function storeWithNormalisedOrder(lesson: Lesson) {
    const current = queryClient.getQueryData<Lesson[]>(key) ?? [];
    const merged = [...current.filter((l) => l.id !== lesson.id), lesson];
    queryClient.setQueryData(key, merged);
    if (needsNormalising(merged)) {
      try {
        queryClient.setQueryData(key, await reorderLessons(courseId, toOrderItems(groupIntoSections(merged))));
      } catch {
        // The lesson itself is saved and the list shows it grouped; a reload fetches the stored order.
        void queryClient.invalidateQueries({ queryKey: key });
      }
    }
    refreshCourse();
  }

  async function saveLesson(input: LessonInput & { title: string }) {
    if (modal?.mode === 'edit') {
      const saved = await updateLesson(modal.lesson.id, input);
      await storeWithNormalisedOrder(saved);
      setAnnouncement(`Lesson ${saved.title} saved.`);
    } else {
      const saved = await addLesson(courseId, input);
      await storeWithNormalisedOrder(saved);
      setAnnouncement(`Lesson ${saved.title} added to ${sectionLabel(saved.section_title)}.`);
      notifications.show({ color: 'teal', title: 'Lesson added', message: `“${saved.title}” is in ${sectionLabel(saved.section_title)}.` });
    }
  }

  const remove = useMutation({
    mutationFn: (lesson: Lesson) => deleteLesson(lesson.id),
    onSuccess: (_data, lesson) => {
      queryClient.setQueryData<Lesson[]>(key, (old) => old?.filter((l) => l.id !== lesson.id));
      setToDelete(null);
      setAnnouncement(`Lesson ${lesson.title} deleted.`);
      notifications.show({ color: 'teal', title: 'Lesson deleted', message: `“${lesson.title}” was removed.` });
      refreshCourse();
    },
  });

  const sectionTitles = sections.map((s) => s.title);
  const ref = (name: string) => (el: HTMLButtonElement | null) => {
    buttons.current.set(name, el);
  };

  let number = 0;

  return (
    <Stack gap="lg">
      <VisuallyHidden role="status" aria-live="polite" aria-atomic="true" data-testid="lessons-announcer">
        {announcement}
      </VisuallyHidden>

      <Group justify="space-between" align="flex-end" gap="md">
        <div>
          <Title order={2}>Lessons</Title>
          <Text size="sm" c="dimmed" mt={4}>
            {lessonCount > 0
              ? `${plural(lessonCount, 'lesson')} in ${plural(sections.length, 'section')} · ${formatTotalDuration(totalSeconds)}`
              : 'Group lessons into sections, like chapters of a book.'}
          </Text>
        </div>
        <Group gap="sm">
          {reorder.isPending && (
            <Group gap={6} aria-hidden>
              <Loader size="xs" />
              <Text size="sm" c="dimmed">
                Saving order…
              </Text>
            </Group>
          )}
          <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setModal({ mode: 'add', section: sections.at(-1)?.title ?? '' })}>
            Add lesson
          </Button>
        </Group>
      </Group>

      {query.isPending ? (
        <LoadingLessons />
      ) : query.isError && !query.data ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't load the lessons" />
      ) : lessonCount === 0 ? (
        <Card>
          <EmptyState
            bare
            headingOrder={3}
            icon={IconBook2}
            title="No lessons yet"
            testId="lessons-empty"
            action={
              <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setModal({ mode: 'add', section: '' })}>
                Add the first lesson
              </Button>
            }
          >
            Add lessons one by one and give each a section, such as “Getting started”. You can reorder them at any time.
          </EmptyState>
        </Card>
      ) : (
        <>
          <Text size="sm" c="dimmed">
            Use the arrow buttons to reorder. Moving a lesson past the top or bottom of its section moves it into the next section.
          </Text>
          {sections.map((section, si) => (
            <Card key={section.title || '(none)'} padding="md" component="section" aria-labelledby={`section-${si}-title`} data-testid="lesson-section">
              <Group justify="space-between" align="center" gap="xs" mb="sm" wrap="wrap">
                <div style={{ minWidth: 0, flex: '1 1 200px' }}>
                  <Title order={3} id={`section-${si}-title`} style={{ overflowWrap: 'anywhere' }} c={section.title ? undefined : 'dimmed'}>
                    {sectionLabel(section.title)}
                  </Title>
                  <Text size="xs" c="dimmed">
                    Section {si + 1} · {plural(section.lessons.length, 'lesson')} ·{' '}
                    {formatTotalDuration(section.lessons.reduce((sum, l) => sum + l.duration_seconds, 0))}
                  </Text>
                </div>
                <Group gap={4} wrap="nowrap">
                  {sections.length > 1 && (
                    <>
                      <Tooltip label="Move section up" openDelay={400}>
                        <ActionIcon
                          ref={ref(`section:${section.title}:up`)}
                          variant="subtle"
                          color="gray"
                          size="lg"
                          aria-label={`Move section ${sectionLabel(section.title)} up`}
                          disabled={si === 0}
                          onClick={() => shiftSection(si, 'up')}
                        >
                          <IconChevronUp size={18} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Move section down" openDelay={400}>
                        <ActionIcon
                          ref={ref(`section:${section.title}:down`)}
                          variant="subtle"
                          color="gray"
                          size="lg"
                          aria-label={`Move section ${sectionLabel(section.title)} down`}
                          disabled={si === sections.length - 1}
                          onClick={() => shiftSection(si, 'down')}
                        >
                          <IconChevronDown size={18} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </>
                  )}
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    leftSection={<IconPlus size={14} aria-hidden />}
                    onClick={() => setModal({ mode: 'add', section: section.title })}
                    aria-label={`Add a lesson to ${sectionLabel(section.title)}`}
                  >
                    Add here
                  </Button>
                </Group>
              </Group>

              <Stack component="ol" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
                  {section.lessons.map((lesson) => {
                    number += 1;
                    return (
                      <Box
                        component="li"
                        key={lesson.id}
                        p="sm"
                        data-testid="lesson-row"
                        style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-md)' }}
                      >
                        <Flex direction={{ base: 'column', xs: 'row' }} gap="xs" justify="space-between" align={{ base: 'stretch', xs: 'center' }}>
                          <Group gap="sm" wrap="nowrap" align="flex-start" style={{ minWidth: 0, flex: 1 }}>
                            <Text fw={700} c="dimmed" size="sm" w={28} ta="right" style={{ flexShrink: 0 }} mt={1}>
                              {number}.
                            </Text>
                            <div style={{ minWidth: 0 }}>
                              <Text fw={600} style={{ overflowWrap: 'anywhere' }} data-testid="lesson-title">
                                {lesson.title}
                              </Text>
                              <Group gap="xs" mt={2}>
                                <Text size="xs" c="dimmed">
                                  {lesson.duration_seconds > 0 ? formatDuration(lesson.duration_seconds) : 'No length set'}
                                </Text>
                                {lesson.is_free_preview && (
                                  <Badge size="xs" variant="light" color="teal">
                                    Free preview
                                  </Badge>
                                )}
                              </Group>
                            </div>
                          </Group>
                          <Group gap={2} wrap="nowrap" justify="flex-end">
                            <Tooltip label="Move up" openDelay={400}>
                              <ActionIcon
                                ref={ref(`lesson:${lesson.id}:up`)}
                                variant="subtle"
                                color="gray"
                                size="lg"
                                aria-label={`Move ${lesson.title} up`}
                                disabled={!canMove(sections, lesson.id, 'up')}
                                onClick={() => move(lesson, 'up')}
                              >
                                <IconArrowUp size={18} aria-hidden />
                              </ActionIcon>
                            </Tooltip>
                            <Tooltip label="Move down" openDelay={400}>
                              <ActionIcon
                                ref={ref(`lesson:${lesson.id}:down`)}
                                variant="subtle"
                                color="gray"
                                size="lg"
                                aria-label={`Move ${lesson.title} down`}
                                disabled={!canMove(sections, lesson.id, 'down')}
                                onClick={() => move(lesson, 'down')}
                              >
                                <IconArrowDown size={18} aria-hidden />
                              </ActionIcon>
                            </Tooltip>
                            <Tooltip label="Edit lesson" openDelay={400}>
                              <ActionIcon variant="subtle" size="lg" aria-label={`Edit ${lesson.title}`} onClick={() => setModal({ mode: 'edit', lesson })}>
                                <IconPencil size={18} aria-hidden />
                              </ActionIcon>
                            </Tooltip>
                            <Tooltip label="Delete lesson" openDelay={400}>
                              <ActionIcon variant="subtle" color="red" size="lg" aria-label={`Delete ${lesson.title}`} onClick={() => setToDelete(lesson)}>
                                <IconTrash size={18} aria-hidden />
                              </ActionIcon>
                            </Tooltip>
                          </Group>
                        </Flex>
                      </Box>
                    );
                  })}
              </Stack>
            </Card>
          ))}
        </>
      )}

      <LessonFormModal
        opened={modal !== null}
        onClose={() => setModal(null)}
        lesson={modal?.mode === 'edit' ? modal.lesson : undefined}
        defaultSection={modal?.mode === 'add' ? modal.section : ''}
        sectionTitles={sectionTitles}
        onSubmit={saveLesson}
      />

      <ConfirmModal
        opened={toDelete !== null}
        onClose={() => {
          setToDelete(null);
          remove.reset();
        }}
        title="Delete this lesson?"
        confirmLabel="Delete lesson"
        color="red"
        loading={remove.isPending}
        error={remove.isError ? describeError(remove.error) : null}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
      >
        <Text size="sm">
          “{toDelete?.title}” and anything attached to it will be removed from the course. Students' progress on it is lost. This can't be
          undone.
        </Text>
      </ConfirmModal>
    </Stack>
  );
}
