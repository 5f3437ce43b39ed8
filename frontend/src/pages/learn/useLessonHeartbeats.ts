import { useCallback, useEffect, useRef } from 'react';
import { sendHeartbeat, type HeartbeatResult } from '../../api/learning';

/** How often a playing video reports where it is. */
export const HEARTBEAT_INTERVAL_MS = 15_000;

export type PlaybackEvent = 'play' | 'pause' | 'ended' | 'timeupdate';

/**
 * Whether a playback event should be reported now: play, pause and the end always; while
 * playing, once every HEARTBEAT_INTERVAL_MS of wall time.
 */
export function shouldSend(event: PlaybackEvent, now: number, lastSentAt: number): boolean {
  return event !== 'timeupdate' || now - lastSentAt >= HEARTBEAT_INTERVAL_MS;
}

/**
 * The player's heartbeats for one lesson: the server keeps the resume position and completes
 * the lesson at 90% watched. `onCompleted` runs once, when a heartbeat first reports it done.
 * A failed heartbeat is dropped: the next one carries the position anyway.
 */
export function useLessonHeartbeats(
  lessonId: string,
  enabled: boolean,
  alreadyCompleted: boolean,
  onCompleted: (result: HeartbeatResult) => void,
) {
  const lastSentAt = useRef(0);
  const lastPosition = useRef<number | null>(null);
  const completed = useRef(alreadyCompleted);
  const onCompletedRef = useRef(onCompleted);
  onCompletedRef.current = onCompleted;

  useEffect(() => {
    completed.current = alreadyCompleted;
  }, [alreadyCompleted]);

  const send = useCallback(
    (position: number) => {
      lastSentAt.current = Date.now();
      sendHeartbeat(lessonId, position)
        .then((result) => {
          if (result.completed && !completed.current) {
            completed.current = true;
            onCompletedRef.current(result);
          }
        })
        .catch(() => undefined);
    },
    [lessonId],
  );

  const onPlayback = useCallback(
    (event: PlaybackEvent, position: number) => {
      if (!enabled) return;
      lastPosition.current = position;
      if (shouldSend(event, Date.now(), lastSentAt.current)) send(position);
    },
    [enabled, send],
  );

  // Leaving the lesson mid-play (next lesson, another page): keep where the student was.
  useEffect(
    () => () => {
      if (enabled && lastPosition.current !== null && Date.now() - lastSentAt.current > 1000) send(lastPosition.current);
      lastPosition.current = null;
    },
    [enabled, send],
  );

  return onPlayback;
}
