import { useEffect, useRef } from 'react';
import { Alert, Anchor, Button, Card, Drawer, Grid, Group, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconCertificate, IconChecklist, IconInfoCircle, IconListDetails, IconMenu2 } from '@tabler/icons-react';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { certificatePdfUrl } from '../../api/certificates';
import { isApiError } from '../../api/client';
import { useCourse, type CourseDetail, type OutlineLesson } from '../../api/courses';
import { useCourseProgress, useProgressChanged, type CourseProgress, type HeartbeatResult } from '../../api/learning';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { usePageTitle } from '../../components/usePageTitle';
import { CourseNotFound } from '../course/CourseNotFound';
import { orderedLessons } from '../course/outline';
import { ClassworkPanel } from './ClassworkPanel';
import { LearnOutline } from './LearnOutline';
import { LessonView } from './LessonView';
import { NotEnrolled } from './NotEnrolled';

type LearnTab = 'lessons' | 'classwork';

/** What the part of the address after /learn/<course>/ asks for. */
export function parseLearnPath(rest: string): { tab: LearnTab; lessonId?: string } | null {
  const parts = rest.split('/').filter(Boolean);
  if (parts.length === 0) return { tab: 'lessons' };
  if (parts.length === 1 && parts[0] === 'classwork') return { tab: 'classwork' };
  if (parts.length === 2 && parts[0] === 'lessons') return { tab: 'lessons', lessonId: parts[1] };
  return null;
}

interface LessonsPanelProps {
  course: CourseDetail;
  lessonId?: string;
  base: string;
  /** The enrolled student's progress; undefined for the teacher's preview. */
  progress?: CourseProgress;
  onCompleted: (result: HeartbeatResult) => void;
}

function LessonsPanel({ course, lessonId, base, progress, onCompleted }: LessonsPanelProps) {
  const [outlineOpen, outline] = useDisclosure(false);
  const lessons = orderedLessons(course.lessons);
  const hrefFor = (lesson: OutlineLesson) => `${base}/lessons/${lesson.id}`;

  if (lessons.length === 0) {
    return (
      <EmptyState icon={IconListDetails} title="No lessons yet" testId="lessons-empty">
        Your teacher hasn't added lessons to this course yet. The classwork may already be waiting for you.
      </EmptyState>
    );
  }
  // No lesson in the address: continue where the student left off, and put that lesson in the
  // address, so finishing it does not move the page on to the next one underneath them.
  const resume = !lessonId && progress?.resume_lesson_id ? lessons.find((l) => l.id === progress.resume_lesson_id) : undefined;
  if (resume) return <Navigate to={hrefFor(resume)} replace />;
  const index = lessonId ? lessons.findIndex((l) => l.id === lessonId) : 0;
  // A lesson that was removed (or a mistyped link): start from the first lesson.
  if (index === -1) return <Navigate to={base} replace />;
  const lesson = lessons[index];

  const outlineNav = (onNavigate?: () => void) => (
    <LearnOutline lessons={course.lessons} currentId={lesson.id} hrefFor={hrefFor} onNavigate={onNavigate} progress={progress} />
  );

  return (
    <Grid gutter="lg">
      <Grid.Col span={{ base: 12, md: 4 }} visibleFrom="md">
        <Card padding="xs" style={{ position: 'sticky', top: 'calc(var(--app-shell-header-height, 64px) + var(--mantine-spacing-md))' }}>
          {outlineNav()}
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Button
          hiddenFrom="md"
          variant="default"
          fullWidth
          mb="md"
          justify="space-between"
          leftSection={<IconMenu2 size={18} aria-hidden />}
          rightSection={
            <Text span size="sm" c="dimmed">
              {index + 1} of {lessons.length}
            </Text>
          }
          onClick={outline.open}
          aria-haspopup="dialog"
        >
          Course outline
        </Button>
        <LessonView
          lesson={lesson}
          index={index}
          count={lessons.length}
          previous={lessons[index - 1]}
          next={lessons[index + 1]}
          hrefFor={hrefFor}
          classworkHref={`${base}/classwork`}
          tracking={progress ? { state: progress.lessons.find((s) => s.lesson_id === lesson.id), onCompleted } : undefined}
        />
      </Grid.Col>
      <Drawer opened={outlineOpen} onClose={outline.close} title="Course outline" size="min(85%, 360px)" padding="md" hiddenFrom="md">
        {outlineNav(outline.close)}
      </Drawer>
    </Grid>
  );
}

function LearnSkeleton() {
  return (
    <Stack gap="lg" aria-busy="true" aria-label="Loading course">
      <Skeleton height={14} width={110} />
      <Skeleton height={32} width="60%" />
      <Skeleton height={36} width={240} />
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, md: 4 }} visibleFrom="md">
          <Skeleton height={260} radius="lg" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Skeleton height={260} radius="lg" />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** /learn/<course>[/lessons/<id> | /classwork]: the student's view of a course they joined. */
export function LearnCoursePage() {
  const params = useParams();
  const ref = params.ref ?? '';
  const route = parseLearnPath(params['*'] ?? '');
  const navigate = useNavigate();
  const query = useCourse(ref);
  const course = query.data;
  usePageTitle(course ? course.title : 'Course');
  const progressQuery = useCourseProgress(ref, Boolean(course?.enrolled));
  const progress = progressQuery.data;
  const progressChanged = useProgressChanged(ref);
  const onCompleted = (result: HeartbeatResult) => {
    progressChanged();
    if (result.certificate_code) {
      notifications.show({
        color: 'teal',
        title: 'Course complete',
        message: 'Congratulations! Your certificate is ready.',
        autoClose: 8000,
      });
    }
  };

  // Remember the lesson being read, so Lessons → Classwork → Lessons comes back to it.
  const lastLesson = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (route?.lessonId) lastLesson.current = route.lessonId;
  }, [route?.lessonId]);

  if (!route) return <Navigate to={`/learn/${ref}`} replace />;
  if (query.isPending) return <LearnSkeleton />;
  if (query.isError) {
    if (isApiError(query.error) && query.error.status === 404) return <CourseNotFound />;
    return <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't load this course" />;
  }
  if (!course) return null;
  if (!course.enrolled && !course.can_edit) return <NotEnrolled courseRef={course.slug} />;
  // The student's saved place decides where "Continue" lands: wait for it, not the first lesson.
  if (course.enrolled && progressQuery.isPending && route.tab === 'lessons' && !route.lessonId) return <LearnSkeleton />;

  const base = `/learn/${ref}`;
  return (
    <Stack gap="lg" data-testid="learn-page">
      <Anchor component={Link} to="/learn" size="sm" fw={500} w="fit-content">
        <Group gap={4} wrap="nowrap" component="span">
          <IconArrowLeft size={16} aria-hidden />
          My courses
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" gap="sm">
        <div style={{ minWidth: 0, flex: '1 1 320px' }}>
          <Title order={1} fz={{ base: 24, sm: 30 }} style={{ overflowWrap: 'anywhere' }}>
            {course.title}
          </Title>
          <Text c="dimmed" mt={4}>
            Taught by {course.instructor?.name}
          </Text>
        </div>
        <Button component={Link} to={`/courses/${course.slug}`} variant="default">
          Course details
        </Button>
      </Group>

      {!course.enrolled && course.can_edit && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={20} aria-hidden />}>
          You teach this course: this is what your enrolled students see.
        </Alert>
      )}
      {progress?.certificate_code && (
        <Alert color="teal" variant="light" icon={<IconCertificate size={20} aria-hidden />} title="You completed this course" data-testid="course-certificate">
          <Group gap="sm" mt={4}>
            <Text size="sm">Your certificate {progress.certificate_code} is ready to share.</Text>
            <Button component={Link} to={`/verify/${progress.certificate_code}`} size="xs" variant="default">
              View certificate
            </Button>
            <Button component="a" href={certificatePdfUrl(progress.certificate_code)} size="xs" variant="default">
              Download PDF
            </Button>
          </Group>
        </Alert>
      )}
      {course.archived_at && (
        <Alert color="gray" variant="light" icon={<IconInfoCircle size={20} aria-hidden />}>
          This course is archived. You keep access to everything in it.
        </Alert>
      )}

      <Tabs
        value={route.tab}
        onChange={(value) => {
          if (value === 'classwork') navigate(`${base}/classwork`);
          else navigate(lastLesson.current ? `${base}/lessons/${lastLesson.current}` : base);
        }}
        keepMounted={false}
      >
        <Tabs.List mb="lg">
          <Tabs.Tab value="lessons" leftSection={<IconListDetails size={16} aria-hidden />}>
            Lessons
          </Tabs.Tab>
          <Tabs.Tab value="classwork" leftSection={<IconChecklist size={16} aria-hidden />}>
            Classwork
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="lessons">
          <LessonsPanel course={course} lessonId={route.lessonId} base={base} progress={progress} onCompleted={onCompleted} />
        </Tabs.Panel>
        <Tabs.Panel value="classwork">
          <ClassworkPanel course={course} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
