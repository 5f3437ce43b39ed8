import { Group, NavLink, Progress, Stack, Text, VisuallyHidden } from '@mantine/core';
import { IconCircleCheckFilled, IconLock, IconPlayerPlay } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { OutlineLesson } from '../../api/courses';
import type { CourseProgress } from '../../api/learning';
import { formatLessonDuration } from '../../components/courseFormat';
import { groupSections } from '../course/outline';

interface LearnOutlineProps {
  lessons: OutlineLesson[];
  currentId: string | undefined;
  hrefFor: (lesson: OutlineLesson) => string;
  onNavigate?: () => void;
  /** The student's progress (absent for the teacher previewing their course). */
  progress?: CourseProgress;
}

/** The course's completion: a bar and "3 of 8 lessons complete". */
export function CourseProgressBar({ progress }: { progress: Pick<CourseProgress, 'completed_lessons' | 'total_lessons' | 'percent'> }) {
  const label = `${progress.completed_lessons} of ${progress.total_lessons} ${progress.total_lessons === 1 ? 'lesson' : 'lessons'} complete`;
  return (
    <Stack gap={6}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <Text size="sm" c="dimmed">
          {progress.percent}%
        </Text>
      </Group>
      <Progress value={progress.percent} color="teal" size="sm" radius="xl" aria-label={label} />
    </Stack>
  );
}

/** The lessons as navigation: sections, each lesson a link with its tick, the current one marked. */
export function LearnOutline({ lessons, currentId, hrefFor, onNavigate, progress }: LearnOutlineProps) {
  const sections = groupSections(lessons);
  const done = new Set(progress?.lessons.filter((state) => state.completed).map((state) => state.lesson_id));
  let number = 0;
  return (
    <nav aria-label="Course outline" data-testid="learn-outline">
      <Stack gap="md">
        {progress && (
          <div style={{ padding: '4px var(--mantine-spacing-sm) 0' }} data-testid="course-progress">
            <CourseProgressBar progress={progress} />
          </div>
        )}
        {sections.map((section) => (
          <div key={section.key}>
            {section.title && (
              <Text size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" mb={4} style={{ letterSpacing: '0.04em' }}>
                {section.title}
              </Text>
            )}
            <Stack gap={2}>
              {section.lessons.map((lesson) => {
                number += 1;
                const active = lesson.id === currentId;
                const completed = done.has(lesson.id);
                const duration = formatLessonDuration(lesson.duration_seconds);
                return (
                  <NavLink
                    key={lesson.id}
                    component={Link}
                    to={hrefFor(lesson)}
                    onClick={onNavigate}
                    active={active}
                    aria-current={active ? 'page' : undefined}
                    variant="light"
                    data-completed={completed || undefined}
                    label={
                      <>
                        {`${number}. ${lesson.title}`}
                        {completed && <VisuallyHidden> (completed)</VisuallyHidden>}
                      </>
                    }
                    description={duration || undefined}
                    leftSection={
                      lesson.locked ? (
                        <IconLock size={16} role="img" aria-label="Locked" />
                      ) : completed ? (
                        <IconCircleCheckFilled size={18} color="var(--mantine-color-teal-7)" aria-hidden />
                      ) : (
                        <IconPlayerPlay size={16} aria-hidden />
                      )
                    }
                    style={{ borderRadius: 'var(--mantine-radius-md)' }}
                    fw={active ? 600 : 500}
                  />
                );
              })}
            </Stack>
          </div>
        ))}
      </Stack>
    </nav>
  );
}
