import { Alert, Badge, Button, Card, Divider, Group, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { IconArrowLeft, IconArrowRight, IconCheck, IconChecklist, IconCircleCheckFilled, IconClock } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { OutlineLesson } from '../../api/courses';
import { sendHeartbeat, type HeartbeatResult, type LessonState } from '../../api/learning';
import { AttachmentList } from '../../components/AttachmentList';
import { formatLessonDuration } from '../../components/courseFormat';
import { describeError } from '../../components/formErrors';
import { RichText } from '../../components/RichText';
import { useLessonHeartbeats } from './useLessonHeartbeats';
import { VideoPlayer } from './VideoPlayer';

interface LessonViewProps {
  lesson: OutlineLesson;
  index: number;
  count: number;
  previous?: OutlineLesson;
  next?: OutlineLesson;
  hrefFor: (lesson: OutlineLesson) => string;
  classworkHref: string;
  /** Set for an enrolled student: their progress is recorded and shown. */
  tracking?: { state?: LessonState; onCompleted: (result: HeartbeatResult) => void };
}

/** Completed, or how this lesson gets completed: by watching, or by the button. */
function Completion({ lesson, hasVideo, tracking }: { lesson: OutlineLesson; hasVideo: boolean; tracking: NonNullable<LessonViewProps['tracking']> }) {
  const complete = useMutation({
    mutationFn: () => sendHeartbeat(lesson.id, 0, true),
    onSuccess: tracking.onCompleted,
  });
  if (tracking.state?.completed || complete.data?.completed) {
    return (
      <Group gap={6} c="teal.9" data-testid="lesson-completed">
        <IconCircleCheckFilled size={20} aria-hidden />
        <Text fw={600} size="sm">
          Completed
        </Text>
      </Group>
    );
  }
  if (hasVideo) {
    return (
      <Text size="sm" c="dimmed">
        This lesson is marked complete once you've watched 90% of the video.
      </Text>
    );
  }
  return (
    <Group gap="sm">
      <Button variant="light" color="teal" leftSection={<IconCheck size={16} aria-hidden />} loading={complete.isPending} onClick={() => complete.mutate()}>
        Mark as complete
      </Button>
      {complete.isError && (
        <Alert color="red" variant="light" py={6} role="alert">
          {describeError(complete.error)}
        </Alert>
      )}
    </Group>
  );
}

/** The selected lesson: where it sits, its length and the teacher's notes, then onwards. */
export function LessonView({ lesson, index, count, previous, next, hrefFor, classworkHref, tracking }: LessonViewProps) {
  const duration = formatLessonDuration(lesson.duration_seconds);
  const hasVideo = lesson.video_status === 'ready' && !lesson.locked;
  const state = tracking?.state;
  const onPlayback = useLessonHeartbeats(lesson.id, Boolean(tracking), Boolean(state?.completed), (result) => tracking?.onCompleted(result));
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
        {hasVideo && (
          <div style={{ marginTop: 'var(--mantine-spacing-md)' }}>
            <VideoPlayer
              key={lesson.id}
              lessonId={lesson.id}
              title={lesson.title}
              startAt={state && !state.completed ? state.position_seconds : undefined}
              onPlayback={onPlayback}
            />
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
        {tracking && (
          <>
            <Divider my="md" />
            <Completion key={lesson.id} lesson={lesson} hasVideo={hasVideo} tracking={tracking} />
          </>
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
