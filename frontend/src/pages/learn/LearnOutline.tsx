import { NavLink, Stack, Text } from '@mantine/core';
import { IconLock, IconPlayerPlay } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { OutlineLesson } from '../../api/courses';
import { formatLessonDuration } from '../../components/courseFormat';
import { groupSections } from '../course/outline';

interface LearnOutlineProps {
  lessons: OutlineLesson[];
  currentId: string | undefined;
  hrefFor: (lesson: OutlineLesson) => string;
  onNavigate?: () => void;
}

/** The lessons as navigation: sections, each lesson a link, the current one marked. */
export function LearnOutline({ lessons, currentId, hrefFor, onNavigate }: LearnOutlineProps) {
  const sections = groupSections(lessons);
  let number = 0;
  return (
    <nav aria-label="Course outline" data-testid="learn-outline">
      <Stack gap="md">
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
                    label={`${number}. ${lesson.title}`}
                    description={duration || undefined}
                    leftSection={
                      lesson.locked ? (
                        <IconLock size={16} role="img" aria-label="Locked" />
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
