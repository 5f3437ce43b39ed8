import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../api/client';
import {
  getCourseForEditor,
  listCategories,
  listClasswork,
  listLessons,
  listStudioCourses,
  listSubmissions,
  studioKeys,
  type CourseForEditor,
  type EditableCourse,
  type StudioListParams,
} from '../../api/studio';
import type { Role } from '../../api/types';

/** Who may use the studio. The server still checks ownership of each course. */
export const STUDIO_ROLES: readonly Role[] = ['teacher', 'instructor', 'admin'];

export function useStudioCourses(params: StudioListParams) {
  return useQuery({
    queryKey: studioKeys.list(params),
    queryFn: ({ signal }) => listStudioCourses(params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCourseForEditor(courseId: string) {
  return useQuery({
    queryKey: studioKeys.course(courseId),
    queryFn: ({ signal }) => getCourseForEditor(courseId, signal),
  });
}

export function useLessons(courseId: string) {
  return useQuery({
    queryKey: studioKeys.lessons(courseId),
    queryFn: ({ signal }) => listLessons(courseId, signal),
  });
}

export function useClassworkList(courseId: string) {
  return useQuery({
    queryKey: studioKeys.classwork(courseId),
    queryFn: ({ signal }) => listClasswork(courseId, signal),
  });
}

export function useSubmissions(classworkId: string | null) {
  return useQuery({
    queryKey: studioKeys.submissions(classworkId ?? ''),
    queryFn: ({ signal }) => listSubmissions(classworkId as string, signal),
    enabled: Boolean(classworkId),
  });
}

export function useCategories() {
  return useQuery({
    queryKey: studioKeys.categories(),
    queryFn: ({ signal }) => listCategories(signal),
    staleTime: 5 * 60 * 1000,
  });
}

/** Put a saved course into the editor's cache (keeping the outline and counts it had). */
export function useStoreCourse() {
  const queryClient = useQueryClient();
  return (course: EditableCourse) => {
    queryClient.setQueryData<CourseForEditor>(studioKeys.course(course.id), (old) => (old ? { ...old, ...course } : old));
    void queryClient.invalidateQueries({ queryKey: studioKeys.course(course.id) });
    void queryClient.invalidateQueries({ queryKey: studioKeys.lists() });
  };
}

export type AccessProblem = 'forbidden' | 'not_found';

/**
 * Why a course cannot be edited, from a failed request: 403 (another teacher's course) or
 * 404 (unknown, or another teacher's draft, which the API does not reveal).
 */
export function accessProblem(error: unknown): AccessProblem | null {
  if (!isApiError(error)) return null;
  if (error.status === 403) return 'forbidden';
  if (error.status === 404) return 'not_found';
  return null;
}
