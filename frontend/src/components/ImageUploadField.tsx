import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { IconPhotoUp } from '@tabler/icons-react';
import { UPLOAD_RULES, type SignUploadInput } from '../api/media';
import { formatBytes, useUpload } from './useUpload';

interface ImageUploadFieldProps {
  purpose: 'thumbnail' | 'avatar';
  target?: Pick<SignUploadInput, 'course_id'>;
  /** The image as stored now (null: none yet). */
  currentUrl: string | null | undefined;
  /** What to show while there is no image (a generated cover, initials). */
  placeholder: ReactNode;
  /** Renders the image (or the preview of the file on its way) in the right shape. */
  frame: (src: string) => ReactNode;
  buttonLabel: string;
  onUploaded: () => void;
}

/**
 * Choose an image, see it at once (a local preview while it uploads), follow the upload, and
 * keep the server's version once it is stored (resized, WebP, without its metadata).
 */
export function ImageUploadField({ purpose, target = {}, currentUrl, placeholder, frame, buttonLabel, onUploaded }: ImageUploadFieldProps) {
  const input = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const { state, start } = useUpload(purpose, target, onUploaded);
  const busy = state.phase === 'signing' || state.phase === 'sending' || state.phase === 'checking';

  // The local preview lives until the upload ends; then the stored image (or the old one) shows.
  useEffect(() => {
    if (!busy && preview) {
      URL.revokeObjectURL(preview);
      setPreview(null);
    }
  }, [busy, preview]);

  const shown = preview ?? currentUrl ?? null;
  return (
    <Stack gap="xs">
      {shown ? frame(shown) : placeholder}
      {state.phase === 'sending' && (
        <Stack gap={2}>
          <Progress value={state.total ? (state.loaded / state.total) * 100 : 0} size="sm" aria-label="Uploading the image" />
          <Text size="xs" c="dimmed" role="status">
            {formatBytes(state.loaded)} of {formatBytes(state.total)}
          </Text>
        </Stack>
      )}
      {state.phase === 'checking' && (
        <Text size="xs" c="dimmed" role="status">
          Preparing the image…
        </Text>
      )}
      {state.phase === 'done' && (
        <Text size="xs" c="teal.9" role="status">
          Saved.
        </Text>
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
        accept={UPLOAD_RULES[purpose].accept}
        data-testid={`${purpose}-file-input`}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = '';
          if (!file) return;
          setPreview(URL.createObjectURL(file));
          void start(file);
        }}
      />
      <Group gap="xs">
        <Button size="xs" variant="default" loading={busy} onClick={() => input.current?.click()} leftSection={<IconPhotoUp size={14} aria-hidden />}>
          {buttonLabel}
        </Button>
        <Text size="xs" c="dimmed">
          {UPLOAD_RULES[purpose].label}
        </Text>
      </Group>
    </Stack>
  );
}
