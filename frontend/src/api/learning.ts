import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from './client';
import { courseKeys } from './courses';

/**
 * Progress through a course: heartbeats from the lesson page (position, completion), the
 * course's progress with where to continue. Shapes follow backend/pathshala/learning.
 */

export interface ProgressSummary {
  completed_lessons: number;
  total_lessons: number;
  percent: number;
  /** Where "Continue" goes; null once every lesson is complete. */
  resume_lesson_id: string | null;
  last_activity_at: string | null;
}

export interface LessonState {
  lesson_id: string;
  position_seconds: number;
  watched_seconds: number;
  completed: boolean;
  completed_at: string | null;
  updated_at: string;
}

export interface CourseProgress extends ProgressSummary {
  course_id: string;
  lessons: LessonState[];
  /** The caller's standing certificate of this course, once earned. */
  certificate_code: string | null;
}

export interface HeartbeatResult {
  lesson_id: string;
  position_seconds: number;
  watched_seconds: number;
  completed: boolean;
  completed_at: string | null;
  /** Set when this heartbeat finished the course and earned its certificate. */
  certificate_code: string | null;
}

export function sendHeartbeat(lessonId: string, positionSeconds: number, completed = false): Promise<HeartbeatResult> {
  return api.post<HeartbeatResult>(`/api/lessons/${encodeURIComponent(lessonId)}/progress`, {
    position_seconds: Math.max(0, Math.floor(positionSeconds)),
    completed,
  });
}

export function getCourseProgress(courseRef: string, signal?: AbortSignal): Promise<CourseProgress> {
  return api.get<CourseProgress>(`/api/courses/${encodeURIComponent(courseRef)}/progress`, undefined, signal);
}

export const progressKeys = {
  course: (courseRef: string) => ['progress', courseRef] as const,
};

export function useCourseProgress(courseRef: string, enabled = true) {
  return useQuery({
    queryKey: progressKeys.course(courseRef),
    queryFn: ({ signal }) => getCourseProgress(courseRef, signal),
    enabled: Boolean(courseRef) && enabled,
  });
}

/** After a lesson completes: the outline's ticks, My courses and certificates refetch. */
export function useProgressChanged(courseRef: string) {
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: progressKeys.course(courseRef) });
    void queryClient.invalidateQueries({ queryKey: courseKeys.mine });
    void queryClient.invalidateQueries({ queryKey: ['me', 'certificates'] });
  }, [queryClient, courseRef]);
}
