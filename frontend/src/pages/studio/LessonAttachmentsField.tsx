import { useRef } from 'react';
import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconPaperclip } from '@tabler/icons-react';
import { attachmentKeys, UPLOAD_RULES } from '../../api/media';
import { AttachmentList } from '../../components/AttachmentList';
import { formatBytes, useUpload } from '../../components/useUpload';

/** Files students can download with a lesson (worksheets, slides, notes). */
export function LessonAttachmentsField({ lessonId }: { lessonId: string }) {
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const { state, start, cancel } = useUpload('attachment', { lesson_id: lessonId }, () => {
    void queryClient.invalidateQueries({ queryKey: attachmentKeys.lesson(lessonId) });
  });
  const busy = state.phase === 'signing' || state.phase === 'sending' || state.phase === 'checking';

  return (
    <Stack gap="xs" data-testid="lesson-attachments">
      <Text fw={600} size="sm" id={`files-${lessonId}`}>
        Files for students
      </Text>
      <AttachmentList lessonId={lessonId} editable />
      {state.phase === 'sending' && (
        <Group gap="xs" wrap="nowrap">
          <Progress value={state.total ? (state.loaded / state.total) * 100 : 0} style={{ flex: 1 }} aria-label={`Uploading ${state.file.name}`} />
          <Text size="xs" c="dimmed" role="status">
            {formatBytes(state.loaded)} of {formatBytes(state.total)}
          </Text>
          <Button size="compact-xs" variant="subtle" color="gray" onClick={cancel}>
            Cancel
          </Button>
        </Group>
      )}
      {state.phase === 'error' && (
        <Text size="sm" c="red.8" role="alert">
          {state.message}
        </Text>
      )}
      <input
        ref={input}
        type="file"
        hidden
        accept={UPLOAD_RULES.attachment.accept}
        aria-labelledby={`files-${lessonId}`}
        data-testid="attachment-file-input"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = '';
          if (file) void start(file);
        }}
      />
      <Group gap="xs">
        <Button size="xs" variant="default" loading={busy} onClick={() => input.current?.click()} leftSection={<IconPaperclip size={14} aria-hidden />}>
          Add a file
        </Button>
        <Text size="xs" c="dimmed">
          {UPLOAD_RULES.attachment.label}
        </Text>
      </Group>
    </Stack>
  );
}
