import { Anchor, Badge, Group, Text, Title } from '@mantine/core';
import { IconEye, IconLock, IconPlayerPlay } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { OutlineLesson } from '../../api/courses';
import { formatCourseSize, formatLessonDuration, isoDuration } from '../../components/courseFormat';
import classes from './CourseOutline.module.css';
import { groupSections } from './outline';

interface CourseOutlineProps {
  lessons: OutlineLesson[];
  /** A link for lessons the visitor may open (enrolled students); none for visitors. */
  lessonHref?: (lesson: OutlineLesson) => string | undefined;
}

function LessonIcon({ lesson }: { lesson: OutlineLesson }) {
  if (lesson.locked) {
    return <IconLock size={18} className={classes.icon} role="img" aria-label="Locked" data-testid="lesson-locked" />;
  }
  const Icon = lesson.is_free_preview ? IconEye : IconPlayerPlay;
  return <Icon size={18} className={`${classes.icon} ${classes.iconOpen}`} aria-hidden />;
}

/** The course outline by section: durations, locks and free previews. */
export function CourseOutline({ lessons, lessonHref }: CourseOutlineProps) {
  const sections = groupSections(lessons);
  const showHeaders = sections.length > 1 || Boolean(sections[0]?.title);
  let number = 0;
  return (
    <div className={classes.outline} data-testid="course-outline">
      {sections.map((section) => (
        <div key={section.key} className={classes.section}>
          {showHeaders && (
            <div className={classes.sectionHeader}>
              <Title order={3} fz="md">
                {section.title || 'Other lessons'}
              </Title>
              <Text size="sm" c="dimmed">
                {formatCourseSize(section.lessons.length, section.totalSeconds)}
              </Text>
            </div>
          )}
          <ol className={classes.lessons} start={number + 1}>
            {section.lessons.map((lesson) => {
              number += 1;
              const href = lesson.locked ? undefined : lessonHref?.(lesson);
              const duration = formatLessonDuration(lesson.duration_seconds);
              return (
                <li key={lesson.id} className={classes.lesson} data-testid="outline-lesson">
                  <LessonIcon lesson={lesson} />
                  <div className={classes.title}>
                    <Group gap={8} wrap="wrap" align="center">
                      {href ? (
                        <Anchor component={Link} to={href} size="sm" fw={500}>
                          {lesson.title}
                        </Anchor>
                      ) : (
                        <Text size="sm" fw={500} c={lesson.locked ? 'dark.6' : undefined}>
                          {lesson.title}
                        </Text>
                      )}
                      {lesson.is_free_preview && (
                        <Badge size="sm" variant="light" color="teal" radius="sm">
                          Free preview
                        </Badge>
                      )}
                    </Group>
                  </div>
                  {duration && (
                    <Text size="sm" c="dimmed" className={classes.duration} component="time" dateTime={isoDuration(lesson.duration_seconds)}>
                      {duration}
                    </Text>
                  )}
                </li>
              );
            })}
          </ol>
        </div>
      ))}
    </div>
  );
}
