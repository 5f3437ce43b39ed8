import { RichText } from '../../components/RichText';
import { Badge, Button, Card, Divider, Group, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconArrowLeft, IconArrowRight, IconChecklist, IconClock } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { OutlineLesson } from '../../api/courses';
import { formatLessonDuration } from '../../components/courseFormat';
import { AttachmentList } from '../../components/AttachmentList';
import { VideoPlayer } from './VideoPlayer';

interface LessonViewProps {
  lesson: OutlineLesson;
  index: number;
  count: number;
  previous?: OutlineLesson;
  next?: OutlineLesson;
  hrefFor: (lesson: OutlineLesson) => string;
  classworkHref: string;
}

/** The selected lesson: where it sits, its length and the teacher's notes, then onwards. */
export function LessonView({ lesson, index, count, previous, next, hrefFor, classworkHref }: LessonViewProps) {
  const duration = formatLessonDuration(lesson.duration_seconds);
  return (
    <>
      <Card component="article" aria-labelledby="lesson-title" data-testid="lesson-view">
        <Text size="xs" fw={700} tt="uppercase" c="dimmed" style={{ letterSpacing: '0.04em' }}>
          {lesson.section_title ? `${lesson.section_title} · ` : ''}Lesson {index + 1} of {count}
        </Text>
        <Title order={2} id="lesson-title" mt={6} fz={{ base: 22, sm: 26 }} style={{ overflowWrap: 'anywhere' }}>
          {lesson.title}
        </Title>
        {(duration || lesson.is_free_preview) && (
          <Group gap="sm" mt="sm">
            {duration && (
              <Group gap={4} wrap="nowrap" c="dimmed">
                <IconClock size={16} aria-hidden />
                <Text size="sm" c="dimmed">
                  {duration}
                </Text>
              </Group>
            )}
            {lesson.is_free_preview && (
              <Badge size="sm" variant="light" color="teal" radius="sm">
                Free preview
              </Badge>
            )}
          </Group>
        )}
        {lesson.video_status === 'ready' && !lesson.locked && (
          <div style={{ marginTop: 'var(--mantine-spacing-md)' }}>
            <VideoPlayer key={lesson.id} lessonId={lesson.id} title={lesson.title} />
          </div>
        )}
        {(lesson.video_status === 'pending' || lesson.video_status === 'processing') && (
          <Text size="sm" c="dimmed" mt="md" role="status">
            This lesson's video is being prepared. Check back in a few minutes.
          </Text>
        )}
        <Divider my="md" />
        {lesson.description.trim() ? (
          <RichText html={lesson.description_html} testId="lesson-description" />
        ) : (
          <Text c="dimmed">Your teacher hasn't added notes to this lesson.</Text>
        )}
        {!lesson.locked && (
          <div style={{ marginTop: 'var(--mantine-spacing-md)' }}>
            <AttachmentList key={lesson.id} lessonId={lesson.id} />
          </div>
        )}
      </Card>

      <Group justify="space-between" mt="md" gap="sm">
        {previous ? (
          <Button component={Link} to={hrefFor(previous)} variant="default" leftSection={<IconArrowLeft size={16} aria-hidden />}>
            Previous<VisuallyHidden> lesson: {previous.title}</VisuallyHidden>
          </Button>
        ) : (
          <span />
        )}
        {next ? (
          <Button component={Link} to={hrefFor(next)} rightSection={<IconArrowRight size={16} aria-hidden />}>
            Next lesson<VisuallyHidden>: {next.title}</VisuallyHidden>
          </Button>
        ) : (
          <Button component={Link} to={classworkHref} variant="light" rightSection={<IconChecklist size={16} aria-hidden />}>
            Go to classwork
          </Button>
        )}
      </Group>
    </>
  );
}
