import { ActionIcon, Anchor, Group, Skeleton, Stack, Text } from '@mantine/core';
import { IconDownload, IconFile, IconTrash } from '@tabler/icons-react';
import { useAttachments, useDeleteAttachment, type LessonAttachment } from '../api/media';
import { describeError } from './formErrors';
import { formatBytes } from './useUpload';

function withBase(url: string): string {
  return `${(import.meta.env.VITE_API_BASE_URL ?? '').replace(/\/+$/, '')}${url}`;
}

/**
 * A lesson's downloadable files. Students see download links; the teacher (``editable``)
 * can also remove a file. Renders nothing for a lesson without files, unless editable.
 */
export function AttachmentList({ lessonId, editable = false }: { lessonId: string; editable?: boolean }) {
  const attachments = useAttachments(lessonId);
  const remove = useDeleteAttachment(lessonId);

  if (attachments.isPending) return <Skeleton height={24} width="60%" />;
  if (attachments.isError) {
    return (
      <Text size="sm" c="red.8" role="alert">
        {describeError(attachments.error)}
      </Text>
    );
  }
  const items: LessonAttachment[] = attachments.data.items;
  if (items.length === 0) {
    return editable ? (
      <Text size="sm" c="dimmed">
        No files yet.
      </Text>
    ) : null;
  }
  return (
    <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Lesson files" data-testid="attachments">
      {items.map((item) => (
        <Group key={item.id} component="li" gap="xs" wrap="nowrap" justify="space-between">
          <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
            <IconFile size={18} aria-hidden style={{ flex: 'none' }} />
            <Anchor href={withBase(item.download_url)} download={item.title} size="sm" style={{ overflowWrap: 'anywhere' }}>
              {item.title}
            </Anchor>
            <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
              {formatBytes(item.size)}
            </Text>
          </Group>
          {editable ? (
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Remove ${item.title}`}
              loading={remove.isPending && remove.variables === item.id}
              onClick={() => remove.mutate(item.id)}
            >
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          ) : (
            <IconDownload size={16} aria-hidden style={{ flex: 'none' }} />
          )}
        </Group>
      ))}
    </Stack>
  );
}
