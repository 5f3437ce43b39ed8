import { useEffect, useRef, useState } from 'react';
import { AspectRatio, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconRefresh } from '@tabler/icons-react';
import type Hls from 'hls.js';
import { getVideoUrl } from '../../api/media';
import { describeError } from '../../components/formErrors';
import type { PlaybackEvent } from './useLessonHeartbeats';

/** Fetch a fresh URL this long before the current one expires. */
const REFRESH_MARGIN_MS = 30_000;
const MIN_REFRESH_MS = 5_000;

/** The directory a signed playlist URL covers: every file below it shares its token. */
export function signedDirectory(url: string): string {
  return url.slice(0, url.lastIndexOf('/') + 1);
}

/** A request under the old signed directory, moved under the fresh one (same file). */
export function resign(requestUrl: string, oldDirectory: string, newDirectory: string): string {
  return oldDirectory && requestUrl.startsWith(oldDirectory) ? newDirectory + requestUrl.slice(oldDirectory.length) : requestUrl;
}

/** Resume only from a position worth resuming: past the first seconds, before the last ones. */
export function resumePosition(startAt: number | undefined, duration: number): number | null {
  if (!startAt || !Number.isFinite(duration) || duration <= 0) return null;
  return startAt >= 5 && startAt < duration - 5 ? startAt : null;
}

function refreshDelay(expiresAt: string): number {
  return Math.max(MIN_REFRESH_MS, new Date(expiresAt).getTime() - Date.now() - REFRESH_MARGIN_MS);
}

/**
 * A lesson's video: hls.js where the browser needs it (native HLS in Safari). The URL is
 * short-lived, so a fresh one is fetched before it expires and every later playlist or
 * segment request is moved under the fresh token: a long lesson plays through unbroken.
 */
interface VideoPlayerProps {
  lessonId: string;
  title: string;
  /** Seconds to start from (the student's saved position). */
  startAt?: number;
  /** Play, pause, the end and time updates, with the position: for progress heartbeats. */
  onPlayback?: (event: PlaybackEvent, position: number) => void;
}

export function VideoPlayer({ lessonId, title, startAt, onPlayback }: VideoPlayerProps) {
  const video = useRef<HTMLVideoElement>(null);
  const onPlaybackRef = useRef(onPlayback);
  onPlaybackRef.current = onPlayback;
  const startAtRef = useRef(startAt);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const element = video.current;
    if (!element) return undefined;
    let cancelled = false;
    let hls: Hls | null = null;
    let timer: number | undefined;
    // hls.js asks for each playlist and segment by its original URL; these say where to now.
    const signed = { first: '', current: '' };

    const scheduleRefresh = (expiresAt: string) => {
      timer = window.setTimeout(async () => {
        try {
          const fresh = await getVideoUrl(lessonId);
          if (cancelled) return;
          signed.current = signedDirectory(fresh.url);
          if (!hls) {
            // Native HLS cannot move requests: swap the source and keep the position.
            const position = element.currentTime;
            const playing = !element.paused;
            element.src = fresh.url;
            element.currentTime = position;
            if (playing) void element.play().catch(() => undefined);
          }
          scheduleRefresh(fresh.expires_at);
        } catch {
          if (!cancelled) scheduleRefresh(new Date(Date.now() + MIN_REFRESH_MS + REFRESH_MARGIN_MS).toISOString());
        }
      }, refreshDelay(expiresAt));
    };

    (async () => {
      try {
        const first = await getVideoUrl(lessonId);
        if (cancelled) return;
        signed.first = signedDirectory(first.url);
        signed.current = signed.first;
        if (first.poster_url) element.poster = first.poster_url;
        const { default: HlsPlayer } = await import('hls.js');
        if (cancelled) return;
        if (HlsPlayer.isSupported()) {
          hls = new HlsPlayer({
            xhrSetup: (xhr, url) => xhr.open('GET', resign(url, signed.first, signed.current), true),
          });
          hls.on(HlsPlayer.Events.ERROR, (_event, data) => {
            if (data.fatal) setError(new Error('The video stopped loading. Check your connection and try again.'));
          });
          hls.loadSource(first.url);
          hls.attachMedia(element);
        } else if (element.canPlayType('application/vnd.apple.mpegurl')) {
          element.src = first.url;
        } else {
          throw new Error('This browser cannot play the video.');
        }
        setLoading(false);
        scheduleRefresh(first.expires_at);
      } catch (caught) {
        if (!cancelled) {
          setError(caught);
          setLoading(false);
        }
      }
    })();

    return () => {
      cancelled = true;
      window.clearTimeout(timer);
      hls?.destroy();
    };
  }, [lessonId, attempt]);

  useEffect(() => {
    const element = video.current;
    if (!element) return undefined;
    const report = (event: PlaybackEvent) => () =>
      onPlaybackRef.current?.(event, event === 'ended' ? element.duration : element.currentTime);
    const handlers: [PlaybackEvent, () => void][] = (['play', 'pause', 'ended', 'timeupdate'] as const).map((event) => [event, report(event)]);
    // Once per source: jump to the saved position (a later URL refresh keeps its own).
    const resume = () => {
      const position = resumePosition(startAtRef.current, element.duration);
      startAtRef.current = undefined;
      if (position !== null) element.currentTime = position;
    };
    for (const [event, handler] of handlers) element.addEventListener(event, handler);
    element.addEventListener('loadedmetadata', resume);
    return () => {
      for (const [event, handler] of handlers) element.removeEventListener(event, handler);
      element.removeEventListener('loadedmetadata', resume);
    };
  }, [lessonId, attempt, error]);

  if (error) {
    const message = error instanceof Error && !('status' in error) ? error.message : describeError(error);
    return (
      <AspectRatio ratio={16 / 9} data-testid="video-error">
        <Center bg="gray.1" style={{ borderRadius: 8 }}>
          <Stack align="center" gap="xs" p="md">
            <IconAlertCircle size={28} aria-hidden />
            <Text ta="center" size="sm" role="alert">
              {message}
            </Text>
            <Button
              size="xs"
              variant="light"
              leftSection={<IconRefresh size={14} aria-hidden />}
              onClick={() => {
                setError(null);
                setLoading(true);
                setAttempt((n) => n + 1);
              }}
            >
              Try again
            </Button>
          </Stack>
        </Center>
      </AspectRatio>
    );
  }

  return (
    <AspectRatio ratio={16 / 9} pos="relative">
      <video
        ref={video}
        controls
        playsInline
        preload="metadata"
        aria-label={`Video: ${title}`}
        data-testid="lesson-video-player"
        style={{ width: '100%', height: '100%', background: '#000', borderRadius: 8 }}
      />
      {loading && (
        <Center pos="absolute" inset={0} aria-hidden>
          <Loader color="gray.0" />
        </Center>
      )}
    </AspectRatio>
  );
}
