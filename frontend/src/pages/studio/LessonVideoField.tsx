import { useRef } from 'react';
import { Alert, Badge, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertCircle, IconCircleCheck, IconRefresh, IconUpload, IconX } from '@tabler/icons-react';
import { studioKeys } from '../../api/studio';
import { mediaKeys, UPLOAD_RULES, useLessonVideo, useRetryLessonVideo, type LessonVideo } from '../../api/media';
import { formatLessonDuration } from '../../components/courseFormat';
import { describeError } from '../../components/formErrors';
import { formatBytes, useUpload } from '../../components/useUpload';

const STATUS_LABEL: Record<NonNullable<LessonVideo['status']>, { label: string; color: string }> = {
  pending: { label: 'Waiting to process', color: 'yellow' },
  processing: { label: 'Processing', color: 'blue' },
  ready: { label: 'Ready', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
};

/**
 * A lesson's video in the studio: choose a file, watch it upload (bytes and percent, with
 * cancel), then follow the transcoding until it is ready, or see why it failed and retry.
 */
export function LessonVideoField({ lessonId }: { lessonId: string }) {
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const video = useLessonVideo(lessonId);
  const retry = useRetryLessonVideo(lessonId);
  const upload = useUpload('lesson_video', { lesson_id: lessonId }, () => {
    void queryClient.invalidateQueries({ queryKey: mediaKeys.video(lessonId) });
    void queryClient.invalidateQueries({ queryKey: ['courses'] });
    void queryClient.invalidateQueries({ queryKey: studioKeys.all });
  });
  const { state } = upload;
  const busy = state.phase === 'signing' || state.phase === 'sending' || state.phase === 'checking';
  const status = video.data?.status ?? null;
  const label = status ? STATUS_LABEL[status] : null;

  return (
    <Stack gap="xs" data-testid="lesson-video">
      <Group justify="space-between" gap="xs">
        <Text fw={600} size="sm" id={`video-${lessonId}`}>
          Video
        </Text>
        {label && (
          <Badge color={label.color} variant="light" data-testid="video-status">
            {label.label}
            {status === 'processing' && video.data ? ` · ${video.data.progress}%` : ''}
          </Badge>
        )}
      </Group>

      {video.isError && <Text size="sm" c="red.8">{describeError(video.error)}</Text>}
      {status === null && !busy && !video.isPending && (
        <Text size="sm" c="dimmed">
          No video yet. {UPLOAD_RULES.lesson_video.label}.
        </Text>
      )}
      {(status === 'pending' || status === 'processing') && video.data && (
        <Progress
          value={status === 'pending' ? 0 : video.data.progress}
          animated
          aria-label="Processing the video"
          aria-valuetext={`${video.data.progress}% processed`}
        />
      )}
      {status === 'pending' && video.data?.retryable && (
        <Alert color="yellow" variant="light" icon={<IconAlertCircle size={18} aria-hidden />} title="Processing hasn't started" data-testid="video-stuck">
          <Stack gap="xs">
            <Text size="sm">This video has been waiting for more than ten minutes; its job was probably lost when the server restarted.</Text>
            <Group>
              <Button size="xs" variant="default" loading={retry.isPending} onClick={() => retry.mutate()} leftSection={<IconRefresh size={14} aria-hidden />}>
                Queue it again
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {status === 'ready' && (
        <Group gap={6} c="teal.9">
          <IconCircleCheck size={16} aria-hidden />
          <Text size="sm">Students can watch it{video.data?.duration_seconds ? ` (${formatLessonDuration(video.data.duration_seconds)})` : ''}.</Text>
        </Group>
      )}
      {status === 'failed' && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} aria-hidden />} title="The video could not be processed" role="alert">
          <Stack gap="xs">
            <Text size="sm">{video.data?.error || 'The file could not be converted.'} Your upload is kept: retry, or upload another file.</Text>
            <Group>
              <Button size="xs" variant="light" color="red" loading={retry.isPending} onClick={() => retry.mutate()} leftSection={<IconRefresh size={14} aria-hidden />}>
                Retry processing
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}

      {state.phase === 'sending' && (
        <Stack gap={4} data-testid="upload-progress">
          <Progress value={state.total ? (state.loaded / state.total) * 100 : 0} aria-label={`Uploading ${state.file.name}`} />
          <Group justify="space-between" gap="xs">
            <Text size="xs" c="dimmed" role="status">
              {formatBytes(state.loaded)} of {formatBytes(state.total)} · {state.total ? Math.floor((state.loaded / state.total) * 100) : 0}%
            </Text>
            <Button size="compact-xs" variant="subtle" color="gray" onClick={upload.cancel} leftSection={<IconX size={12} aria-hidden />}>
              Cancel upload
            </Button>
          </Group>
        </Stack>
      )}
      {(state.phase === 'signing' || state.phase === 'checking') && (
        <Text size="xs" c="dimmed" role="status">
          {state.phase === 'signing' ? 'Preparing the upload…' : 'Checking the file…'}
        </Text>
      )}
      {state.phase === 'error' && (
        <Text size="sm" c="red.8" role="alert">
          {state.message}
        </Text>
      )}
      {state.phase === 'cancelled' && (
        <Text size="sm" c="dimmed" role="status">
          Upload cancelled; nothing was changed.
        </Text>
      )}

      <input
        ref={input}
        type="file"
        hidden
        accept={UPLOAD_RULES.lesson_video.accept}
        aria-labelledby={`video-${lessonId}`}
        data-testid="video-file-input"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = '';
          if (file) void upload.start(file);
        }}
      />
      <Group>
        <Button size="xs" variant="default" disabled={busy} onClick={() => input.current?.click()} leftSection={<IconUpload size={14} aria-hidden />}>
          {status ? 'Replace video' : 'Upload a video'}
        </Button>
      </Group>
    </Stack>
  );
}
