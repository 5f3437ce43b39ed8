import { useCallback, useEffect, useRef, useState } from 'react';
import { isApiError } from '../api/client';
import { completeUpload, contentTypeOf, sendUpload, signUpload, UPLOAD_RULES, type SignUploadInput, type UploadPurpose } from '../api/media';

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'signing'; file: File }
  | { phase: 'sending'; file: File; loaded: number; total: number }
  | { phase: 'checking'; file: File }
  | { phase: 'done'; file: File }
  | { phase: 'error'; file?: File; message: string }
  | { phase: 'cancelled'; file: File };

/** Reject a file before asking the server: wrong kind or too big. */
export function precheck(file: File, purpose: UploadPurpose): string | null {
  const rule = UPLOAD_RULES[purpose];
  if (file.size === 0) return 'That file is empty.';
  if (file.size > rule.maxBytes) return `That file is too big: ${rule.label}.`;
  return null;
}

/**
 * One upload through the three steps (sign, send with progress, complete), cancellable while
 * the bytes are on their way. `target` names what the upload is for (lesson or course).
 */
export function useUpload(purpose: UploadPurpose, target: Pick<SignUploadInput, 'lesson_id' | 'course_id'>, onDone?: () => void) {
  const { lesson_id: lessonId, course_id: courseId } = target;
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const controller = useRef<AbortController | null>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      controller.current?.abort();
    };
  }, []);

  const set = useCallback((next: UploadState) => {
    if (mounted.current) setState(next);
  }, []);

  const start = useCallback(
    async (file: File) => {
      const problem = precheck(file, purpose);
      if (problem) {
        set({ phase: 'error', file, message: problem });
        return;
      }
      const abort = new AbortController();
      controller.current = abort;
      try {
        set({ phase: 'signing', file });
        const signed = await signUpload({ filename: file.name, content_type: contentTypeOf(file), size: file.size, purpose, lesson_id: lessonId, course_id: courseId });
        set({ phase: 'sending', file, loaded: 0, total: file.size });
        await sendUpload(signed, file, ({ loaded, total }) => set({ phase: 'sending', file, loaded, total }), abort.signal);
        set({ phase: 'checking', file });
        await completeUpload(signed.upload_id);
        set({ phase: 'done', file });
        onDone?.();
      } catch (error) {
        if (abort.signal.aborted) set({ phase: 'cancelled', file });
        else set({ phase: 'error', file, message: isApiError(error) ? error.message : 'The upload failed. Please try again.' });
      } finally {
        controller.current = null;
      }
    },
    [purpose, lessonId, courseId, set, onDone],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);
  const reset = useCallback(() => set({ phase: 'idle' }), [set]);

  return { state, start, cancel, reset };
}

/** "12.3 MB of 48.0 MB" */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
