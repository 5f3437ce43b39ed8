import { useCallback, useEffect, useRef, useState } from 'react';
import { Anchor, Box, Breadcrumbs, Card, Grid, Group, Image, Skeleton, Stack, Tabs, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBook2, IconChecklist, IconFileText, IconInbox, IconUsers } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { studioKeys, updateCourse } from '../../api/studio';
import { CourseThumbnail } from '../../components/CourseThumbnail';
import { ImageUploadField } from '../../components/ImageUploadField';
import { QueryError } from '../../components/QueryError';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDate } from '../account/AccountPage';
import { CantEditState } from './CantEditState';
import classes from './CourseEditorPage.module.css';
import { ClassworkTab } from './ClassworkTab';
import { CourseDetailsForm } from './CourseDetailsForm';
import { CourseStatusBadge } from './CourseStatusBadge';
import { CourseStatusCard } from './CourseStatusCard';
import { LessonsTab } from './LessonsTab';
import { accessProblem, useCourseForEditor, useStoreCourse } from './queries';
import { StudentsTab } from './StudentsTab';
import { SubmissionsTab } from './SubmissionsTab';

export const EDITOR_TABS = ['details', 'lessons', 'classwork', 'submissions', 'students'] as const;
export type EditorTab = (typeof EDITOR_TABS)[number];

export function tabFromParam(value: string | null): EditorTab {
  return (EDITOR_TABS as readonly string[]).includes(value ?? '') ? (value as EditorTab) : 'details';
}

function EditorSkeleton() {
  return (
    <Stack gap="lg" aria-busy="true" data-testid="editor-loading">
      <Skeleton height={14} width={160} />
      <Skeleton height={32} width="50%" />
      <Skeleton height={36} width="80%" />
      <Card>
        <Skeleton height={16} width="30%" />
        <Skeleton height={40} mt="md" />
        <Skeleton height={40} mt="md" />
        <Skeleton height={120} mt="md" />
      </Card>
    </Stack>
  );
}

/** Warn before leaving the page with unsaved details. */
function useUnsavedChangesWarning(dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    const handler = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', handler);
    return () => window.removeEventListener('beforeunload', handler);
  }, [dirty]);
}

/** /studio/courses/:courseId?tab=details|lessons|classwork|submissions */
export function CourseEditorPage() {
  const { courseId = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const tab = tabFromParam(searchParams.get('tab'));
  const query = useCourseForEditor(courseId);
  const storeCourse = useStoreCourse();
  const queryClient = useQueryClient();
  const [detailsDirty, setDetailsDirty] = useState(false);
  // Panels are mounted the first time they are opened, then kept (so unsaved edits survive a tab switch).
  const [visited, setVisited] = useState<ReadonlySet<EditorTab>>(() => new Set([tab]));
  useEffect(() => setVisited((prev) => (prev.has(tab) ? prev : new Set([...prev, tab]))), [tab]);
  useUnsavedChangesWarning(detailsDirty);
  // On a narrow screen the tab row scrolls: keep the open tab in view (e.g. after a reload on ?tab=submissions).
  const tabList = useRef<HTMLDivElement>(null);
  const loaded = Boolean(query.data?.can_edit);
  useEffect(() => {
    const list = tabList.current;
    const active = list?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]');
    if (!list || !active) return;
    if (active.offsetLeft < list.scrollLeft || active.offsetLeft + active.offsetWidth > list.scrollLeft + list.clientWidth) {
      list.scrollLeft = active.offsetLeft - 16;
    }
  }, [tab, loaded]);
  usePageTitle(query.data ? `Edit: ${query.data.title}` : 'Edit course');

  const selectTab = useCallback(
    (value: string | null) => {
      setSearchParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set('tab', tabFromParam(value));
          if (value !== 'submissions') next.delete('classwork');
          return next;
        },
        { replace: false },
      );
    },
    [setSearchParams],
  );

  if (query.isPending) return <EditorSkeleton />;
  if (query.isError) {
    const problem = accessProblem(query.error);
    if (problem) return <CantEditState problem={problem} />;
    return <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't load this course" />;
  }
  const course = query.data;
  if (!course.can_edit) return <CantEditState problem="forbidden" publicSlug={course.is_published && !course.archived_at ? course.slug : undefined} />;

  return (
    <Stack gap="lg">
      <div>
        <Breadcrumbs aria-label="Breadcrumb" mb="xs">
          <Anchor component={Link} to="/studio" size="sm">
            Studio
          </Anchor>
          <Text size="sm" c="dimmed" aria-current="page" lineClamp={1} maw={{ base: 200, sm: 480 }}>
            {course.title}
          </Text>
        </Breadcrumbs>
        <Group gap="sm" align="center" wrap="wrap">
          <Title order={1} style={{ overflowWrap: 'anywhere' }}>
            {course.title}
          </Title>
          <CourseStatusBadge course={course} size="lg" />
        </Group>
        <Text size="sm" c="dimmed" mt={6}>
          {course.lesson_count} {course.lesson_count === 1 ? 'lesson' : 'lessons'} · Last saved {formatDate(course.updated_at)}
        </Text>
      </div>

      <Tabs
        value={tab}
        onChange={selectTab}
        keepMounted
        classNames={{ list: classes.list, tab: classes.tab, tabSection: classes.tabSection }}
      >
        <Tabs.List aria-label="Course editor" ref={tabList}>
          <Tabs.Tab value="details" leftSection={<IconFileText size={16} aria-hidden />}>
            Details
            {detailsDirty && (
              <>
                <Box component="span" display="inline-block" w={8} h={8} ml={6} bg="orange.7" style={{ borderRadius: 999, verticalAlign: 'middle' }} aria-hidden />
                <VisuallyHidden> (unsaved changes)</VisuallyHidden>
              </>
            )}
          </Tabs.Tab>
          <Tabs.Tab value="lessons" leftSection={<IconBook2 size={16} aria-hidden />}>
            Lessons
          </Tabs.Tab>
          <Tabs.Tab value="classwork" leftSection={<IconChecklist size={16} aria-hidden />}>
            Classwork
          </Tabs.Tab>
          <Tabs.Tab value="submissions" leftSection={<IconInbox size={16} aria-hidden />}>
            Submissions
          </Tabs.Tab>
          <Tabs.Tab value="students" leftSection={<IconUsers size={16} aria-hidden />}>
            Students
          </Tabs.Tab>
        </Tabs.List>

        <Tabs.Panel value="details" pt="lg">
          {visited.has('details') && (
            <Grid gutter="lg">
              <Grid.Col span={{ base: 12, md: 8 }}>
                <Card>
                  <Title order={2} mb="md">
                    Course details
                  </Title>
                  <CourseDetailsForm
                    course={course}
                    submitLabel="Save details"
                    onDirtyChange={setDetailsDirty}
                    onSubmit={async (input) => {
                      storeCourse(await updateCourse(course.id, input));
                      notifications.show({ color: 'teal', title: 'Details saved', message: 'Your changes to the course are saved.' });
                    }}
                  />
                </Card>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Stack gap="lg">
                  <CourseStatusCard course={course} />
                  <Card>
                    <Title order={2} size="h4" mb="sm">
                      Cover image
                    </Title>
                    <ImageUploadField
                      purpose="thumbnail"
                      target={{ course_id: course.id }}
                      currentUrl={course.thumbnail_url}
                      placeholder={<CourseThumbnail course={course} radius={8} />}
                      frame={(src) => <Image src={src} alt="The course's cover image" radius="md" fit="cover" style={{ aspectRatio: '16 / 9' }} />}
                      buttonLabel={course.thumbnail_url ? 'Replace the cover' : 'Upload a cover'}
                      onUploaded={() =>
                        void Promise.all([
                          queryClient.invalidateQueries({ queryKey: studioKeys.all }),
                          queryClient.invalidateQueries({ queryKey: ['courses'] }),
                        ])
                      }
                    />
                  </Card>
                </Stack>
              </Grid.Col>
            </Grid>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="lessons" pt="lg">
          {visited.has('lessons') && <LessonsTab courseId={course.id} />}
        </Tabs.Panel>
        <Tabs.Panel value="classwork" pt="lg">
          {visited.has('classwork') && <ClassworkTab courseId={course.id} onShowSubmissions={(id) => setSearchParams({ tab: 'submissions', classwork: id })} />}
        </Tabs.Panel>
        <Tabs.Panel value="submissions" pt="lg">
          {visited.has('submissions') && (
            <SubmissionsTab
              active={tab === 'submissions'}
              courseId={course.id}
              classworkId={searchParams.get('classwork')}
              onSelectClasswork={(id) =>
                setSearchParams(
                  (prev) => {
                    const next = new URLSearchParams(prev);
                    next.set('tab', 'submissions');
                    next.set('classwork', id);
                    return next;
                  },
                  { replace: true },
                )
              }
              onGoToClasswork={() => selectTab('classwork')}
            />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="students" pt="lg">
          {visited.has('students') && <StudentsTab courseId={course.id} />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
