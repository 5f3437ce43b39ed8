import type { ReactNode } from 'react';
import { Anchor, Avatar, Badge, Card, Grid, Group, Skeleton, Stack, Text, Title, Typography } from '@mantine/core';
import { IconArrowLeft, IconClock, IconLanguage, IconListDetails } from '@tabler/icons-react';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useCourse, type CourseDetail } from '../../api/courses';
import { initials } from '../../components/AppLayout';
import { formatCourseSize, formatLessonCount, formatTotalDuration, LEVEL_COLORS, levelLabel } from '../../components/courseFormat';
import { QueryError } from '../../components/QueryError';
import { usePageTitle } from '../../components/usePageTitle';
import { CourseActionCard } from './CourseActionCard';
import classes from './CoursePage.module.css';
import { CourseNotFound } from './CourseNotFound';
import { CourseOutline } from './CourseOutline';

function Fact({ icon, children }: { icon: ReactNode; children: ReactNode }) {
  return (
    <Group gap={6} wrap="nowrap">
      {icon}
      <Text size="sm">{children}</Text>
    </Group>
  );
}

/** Draft / archived / level / category, above the title. */
export function CourseBadges({ course }: { course: CourseDetail }) {
  return (
    <Group gap={8} wrap="wrap">
      {!course.is_published && (
        <Badge color="orange" variant="light" data-testid="draft-badge">
          Draft
        </Badge>
      )}
      {course.archived_at && (
        <Badge color="gray" variant="light">
          Archived
        </Badge>
      )}
      <Badge color={LEVEL_COLORS[course.level] ?? 'gray'} variant="light">
        {levelLabel(course.level)}
      </Badge>
      {course.category && (
        <Text size="sm" c="dimmed" fw={600}>
          {course.category}
        </Text>
      )}
    </Group>
  );
}

function CourseHeader({ course }: { course: CourseDetail }) {
  const total = formatTotalDuration(course.total_duration_seconds);
  return (
    <Stack gap="sm">
      <CourseBadges course={course} />
      <Title order={1} fz={{ base: 28, sm: 36 }} lh={1.15} style={{ letterSpacing: '-0.01em', overflowWrap: 'anywhere' }}>
        {course.title}
      </Title>
      {course.subtitle && (
        <Text size="lg" c="dimmed" maw={680}>
          {course.subtitle}
        </Text>
      )}
      <Group gap="sm" mt={4} wrap="nowrap">
        <Avatar color="indigo" radius="xl" size={40} aria-hidden>
          {initials(course.instructor?.name ?? '')}
        </Avatar>
        <div>
          <Text size="xs" c="dimmed">
            Taught by
          </Text>
          <Text fw={600} data-testid="course-instructor">
            {course.instructor?.name}
          </Text>
        </div>
      </Group>
      <Group gap="lg" mt={4} c="dimmed" wrap="wrap">
        <Fact icon={<IconListDetails size={18} aria-hidden />}>{formatLessonCount(course.lesson_count)}</Fact>
        {total && <Fact icon={<IconClock size={18} aria-hidden />}>{total} in total</Fact>}
        <Fact icon={<IconLanguage size={18} aria-hidden />}>{course.language}</Fact>
      </Group>
    </Stack>
  );
}

function CoursePageSkeleton() {
  return (
    <Stack gap="xl" aria-busy="true" aria-label="Loading course">
      <Skeleton height={14} width={100} />
      <Grid gutter={{ base: 'lg', md: 'xl' }}>
        <Grid.Col span={{ base: 12, md: 7, lg: 8 }}>
          <Stack gap="sm">
            <Skeleton height={20} width={160} radius="xl" />
            <Skeleton height={36} width="90%" />
            <Skeleton height={18} width="70%" />
            <Skeleton height={40} width={200} mt="sm" />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5, lg: 4 }}>
          <Skeleton height={280} radius="lg" />
        </Grid.Col>
      </Grid>
      <Skeleton height={200} radius="lg" />
    </Stack>
  );
}

export function CoursePage() {
  const { ref = '' } = useParams();
  const query = useCourse(ref);
  const course = query.data;
  usePageTitle(course?.title ?? 'Course');

  if (query.isPending) return <CoursePageSkeleton />;
  if (query.isError) {
    if (isApiError(query.error) && query.error.status === 404) return <CourseNotFound />;
    return <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't load this course" />;
  }
  if (!course) return null;

  const learnable = course.enrolled || course.can_edit;
  return (
    <Stack gap="xl" data-testid="course-page" className={classes.page}>
      <Anchor component={Link} to="/courses" size="sm" fw={500} w="fit-content">
        <Group gap={4} wrap="nowrap" component="span">
          <IconArrowLeft size={16} aria-hidden />
          All courses
        </Group>
      </Anchor>

      <div className={classes.layout}>
        <div className={classes.header}>
          <CourseHeader course={course} />
        </div>
        <div className={classes.aside}>
          <CourseActionCard course={course} />
        </div>
        <Stack gap="xl" className={classes.content}>
          <Card component="section" aria-labelledby="about-heading">
            <Title order={2} id="about-heading">
              About this course
            </Title>
            {course.description_html.trim() ? (
              <Typography mt="sm" data-testid="course-description" style={{ overflowWrap: 'anywhere' }}>
                {/* Rendered on the server from Markdown with raw HTML escaped (courses/markdown.py). */}
                <div dangerouslySetInnerHTML={{ __html: course.description_html }} />
              </Typography>
            ) : (
              <Text c="dimmed" mt="sm">
                The teacher hasn't written a description yet.
              </Text>
            )}
          </Card>

          <section aria-labelledby="outline-heading">
            <Group justify="space-between" align="baseline" mb="sm" gap="xs">
              <Title order={2} id="outline-heading">
                Course outline
              </Title>
              <Text size="sm" c="dimmed">
                {formatCourseSize(course.lesson_count, course.total_duration_seconds)}
              </Text>
            </Group>
            {course.lessons.length === 0 ? (
              <Card>
                <Text c="dimmed">Lessons are on their way: the teacher hasn't added any yet.</Text>
              </Card>
            ) : (
              <CourseOutline
                lessons={course.lessons}
                lessonHref={learnable ? (lesson) => `/learn/${course.slug}/lessons/${lesson.id}` : undefined}
              />
            )}
            {!learnable && course.lessons.some((lesson) => lesson.locked) && (
              <Text size="sm" c="dimmed" mt="sm">
                Lessons marked with a lock open when you {course.price > 0 ? 'buy the course' : 'enroll'}.
              </Text>
            )}
          </section>
        </Stack>
      </div>
    </Stack>
  );
}
