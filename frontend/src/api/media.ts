import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './client';

/**
 * Uploads and lesson video: sign an upload, send the bytes straight to where the server said
 * (the app's own signed URL, or S3), complete it; follow a lesson video's transcoding; get a
 * short-lived signed URL to play it. Shapes follow backend/pathshala/uploads and media.
 */

export type UploadPurpose = 'lesson_video' | 'thumbnail' | 'attachment' | 'avatar';
export type VideoStatus = 'pending' | 'processing' | 'ready' | 'failed';

export interface SignedUpload {
  upload_id: string;
  url: string;
  method: 'PUT' | 'POST';
  headers: Record<string, string>;
  fields: Record<string, string>;
  expires_at: string;
}

export interface SignUploadInput {
  filename: string;
  content_type: string;
  size: number;
  purpose: UploadPurpose;
  lesson_id?: string;
  course_id?: string;
}

export interface LessonVideo {
  status: VideoStatus | null;
  progress: number;
  error: string | null;
  duration_seconds: number;
  /** Failed, or pending so long its job was lost: it can be queued again. */
  retryable?: boolean;
}

export interface VideoUrl {
  url: string;
  expires_at: string;
  type: string;
  /** The poster frame, signed like `url`. */
  poster_url?: string | null;
}

/** What each purpose accepts (the server checks again, including the bytes themselves). */
export const UPLOAD_RULES: Record<UploadPurpose, { accept: string; maxBytes: number; label: string }> = {
  lesson_video: { accept: 'video/mp4,video/quicktime,video/webm,video/x-matroska,.mp4,.mov,.webm,.mkv', maxBytes: 2 * 1024 ** 3, label: 'MP4, MOV, WebM or MKV, up to 2 GB' },
  thumbnail: { accept: 'image/jpeg,image/png,image/webp', maxBytes: 5 * 1024 ** 2, label: 'JPEG, PNG or WebP, up to 5 MB' },
  avatar: { accept: 'image/jpeg,image/png,image/webp', maxBytes: 5 * 1024 ** 2, label: 'JPEG, PNG or WebP, up to 5 MB' },
  attachment: { accept: '.pdf,.zip,.docx,.pptx,.xlsx,.txt', maxBytes: 50 * 1024 ** 2, label: 'PDF, ZIP, Word, PowerPoint, Excel or text, up to 50 MB' },
};

const VIDEO_TYPES: Record<string, string> = { mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska' };

/** The content type to sign for: the browser's, else one from the extension (mkv often has none). */
export function contentTypeOf(file: File): string {
  if (file.type) return file.type;
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return VIDEO_TYPES[ext] ?? 'application/octet-stream';
}

export function signUpload(input: SignUploadInput): Promise<SignedUpload> {
  return api.post<SignedUpload>('/api/uploads/sign', input);
}

export function completeUpload(uploadId: string): Promise<unknown> {
  return api.post<unknown>(`/api/uploads/${encodeURIComponent(uploadId)}/complete`, {});
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * Send the file where the signature says, reporting progress (fetch cannot report upload
 * progress; XMLHttpRequest can). Rejects with an ApiError-shaped error; aborts on `signal`.
 */
export function sendUpload(signed: SignedUpload, file: File, onProgress: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(signed.method, signed.url);
    let body: Blob | FormData = file;
    if (signed.method === 'POST') {
      const form = new FormData();
      for (const [key, value] of Object.entries(signed.fields)) form.append(key, value);
      form.append('file', file);
      body = form;
    }
    for (const [key, value] of Object.entries(signed.headers)) xhr.setRequestHeader(key, value);
    xhr.upload.onprogress = (event) => onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress({ loaded: file.size, total: file.size });
        resolve();
        return;
      }
      let message = `The upload was refused (${xhr.status}).`;
      let code = 'upload_failed';
      try {
        const parsed = JSON.parse(xhr.responseText) as { code?: string; message?: string };
        message = parsed.message ?? message;
        code = parsed.code ?? code;
      } catch {
        // S3 answers XML: keep the generic message.
      }
      reject(new ApiError(xhr.status, code, message));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The upload was interrupted. Check your connection and try again.'));
    xhr.onabort = () => reject(new ApiError(0, 'upload_cancelled', 'Upload cancelled.'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

export function getLessonVideo(lessonId: string, signal?: AbortSignal): Promise<LessonVideo> {
  return api.get<LessonVideo>(`/api/lessons/${encodeURIComponent(lessonId)}/video`, undefined, signal);
}

export function retryLessonVideo(lessonId: string): Promise<unknown> {
  return api.post<unknown>(`/api/lessons/${encodeURIComponent(lessonId)}/video/retry`, {});
}

export function getVideoUrl(lessonId: string, signal?: AbortSignal): Promise<VideoUrl> {
  return api.get<VideoUrl>(`/api/lessons/${encodeURIComponent(lessonId)}/video-url`, undefined, signal);
}

export const mediaKeys = {
  video: (lessonId: string) => ['media', 'lesson-video', lessonId] as const,
};

/** A lesson video's status; polls every 2 s while it waits or transcodes. */
export function useLessonVideo(lessonId: string, enabled = true) {
  return useQuery({
    queryKey: mediaKeys.video(lessonId),
    queryFn: ({ signal }) => getLessonVideo(lessonId, signal),
    enabled,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'pending' || status === 'processing' ? 2000 : false;
    },
  });
}

export function useRetryLessonVideo(lessonId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => retryLessonVideo(lessonId),
    onSettled: () => queryClient.invalidateQueries({ queryKey: mediaKeys.video(lessonId) }),
  });
}

// ---- lesson attachments --------------------------------------------------------------------

export interface LessonAttachment {
  id: string;
  title: string;
  content_type: string;
  size: number;
  /** Relative; the session cookie authorises the download. */
  download_url: string;
}

export function listAttachments(lessonId: string, signal?: AbortSignal): Promise<{ items: LessonAttachment[] }> {
  return api.get<{ items: LessonAttachment[] }>(`/api/lessons/${encodeURIComponent(lessonId)}/attachments`, undefined, signal);
}

export function deleteAttachment(attachmentId: string): Promise<unknown> {
  return api.delete<unknown>(`/api/attachments/${encodeURIComponent(attachmentId)}`);
}

export const attachmentKeys = {
  lesson: (lessonId: string) => ['media', 'attachments', lessonId] as const,
};

export function useAttachments(lessonId: string, enabled = true) {
  return useQuery({
    queryKey: attachmentKeys.lesson(lessonId),
    queryFn: ({ signal }) => listAttachments(lessonId, signal),
    enabled,
  });
}

export function useDeleteAttachment(lessonId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteAttachment,
    onSettled: () => queryClient.invalidateQueries({ queryKey: attachmentKeys.lesson(lessonId) }),
  });
}
