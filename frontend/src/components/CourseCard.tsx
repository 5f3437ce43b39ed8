import type { ReactNode } from 'react';
import { Badge, Card, Group, Skeleton, Text, Title } from '@mantine/core';
import { IconClock, IconListDetails } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { CourseCard as Course } from '../api/courses';
import classes from './CourseCard.module.css';
import { formatLessonCount, formatTotalDuration, LEVEL_COLORS, levelLabel } from './courseFormat';
import { CourseThumbnail } from './CourseThumbnail';
import { formatCoursePrice } from './money';

interface CourseCardProps {
  course: Course;
  /** Where the card leads (the course page, or the learning view for "my courses"). */
  to: string;
  headingOrder?: 2 | 3;
  /** Extra badges before the level (e.g. "Archived"). */
  badges?: ReactNode;
  /** Replaces the price at the bottom right (e.g. "Continue" in "my courses"). */
  action?: ReactNode;
  /** Shown above the footer (e.g. the student's progress). */
  extra?: ReactNode;
}

/** A course in a grid: cover, level, title, subtitle, teacher, size and price. */
export function CourseCard({ course, to, headingOrder = 2, badges, action, extra }: CourseCardProps) {
  const total = formatTotalDuration(course.total_duration_seconds);
  return (
    <Card className={classes.card} padding={0} component="article" data-testid="course-card">
      <CourseThumbnail course={course} />
      <div className={classes.body}>
        <Group gap={6} wrap="wrap">
          {badges}
          <Badge variant="light" color={LEVEL_COLORS[course.level] ?? 'gray'} size="sm">
            {levelLabel(course.level)}
          </Badge>
          {course.category && (
            <Text size="xs" c="dimmed" fw={600} truncate maw="60%">
              {course.category}
            </Text>
          )}
        </Group>
        <Title order={headingOrder} fz={{ base: 17, sm: 18 }} lh={1.3} lineClamp={2}>
          <Link to={to} className={classes.link}>
            {course.title}
          </Link>
        </Title>
        {course.subtitle && (
          <Text size="sm" c="dimmed" lineClamp={2}>
            {course.subtitle}
          </Text>
        )}
        <Text size="sm" fw={500}>
          {course.instructor?.name}
        </Text>
        {extra}
        <Group className={classes.footer} justify="space-between" wrap="nowrap" gap="xs">
          <Group gap={12} wrap="nowrap" c="dimmed">
            <Group gap={4} wrap="nowrap">
              <IconListDetails size={16} aria-hidden />
              <Text size="sm" c="dimmed">
                {formatLessonCount(course.lesson_count)}
              </Text>
            </Group>
            {total && (
              <Group gap={4} wrap="nowrap">
                <IconClock size={16} aria-hidden />
                <Text size="sm" c="dimmed">
                  {total}
                </Text>
              </Group>
            )}
          </Group>
          {action ?? (
            <Text fw={700} size="md" c={course.price === 0 ? 'teal.9' : 'dark.8'} style={{ whiteSpace: 'nowrap' }} data-testid="course-price">
              {formatCoursePrice(course.price)}
            </Text>
          )}
        </Group>
      </div>
    </Card>
  );
}

/** The placeholder shown while a grid of course cards loads. */
export function CourseCardSkeleton() {
  return (
    <Card className={classes.card} padding={0} aria-hidden>
      <Skeleton style={{ aspectRatio: '16 / 9' }} h="auto" radius={0} />
      <div className={classes.body}>
        <Skeleton height={18} width={90} radius="xl" />
        <Skeleton height={18} width="85%" mt={4} />
        <Skeleton height={12} width="95%" mt={6} />
        <Skeleton height={12} width="60%" />
        <Skeleton height={12} width="40%" mt={6} />
        <Group className={classes.footer} justify="space-between">
          <Skeleton height={12} width={110} />
          <Skeleton height={16} width={50} />
        </Group>
      </div>
    </Card>
  );
}
