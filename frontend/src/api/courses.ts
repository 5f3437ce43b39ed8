import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { ProgressSummary } from './learning';
import type { Page } from './types';

/**
 * The learner side of courses: the public catalog, a course with its outline, free
 * enrollment, "my courses" and classwork submissions. Shapes follow
 * backend/pathshala/courses/schemas.py and classwork/schemas.py. Money is integer paise.
 */

export type CourseLevel = 'beginner' | 'intermediate' | 'advanced';
export const COURSE_LEVELS: readonly CourseLevel[] = ['beginner', 'intermediate', 'advanced'];

export interface CourseInstructor {
  id: string;
  name: string;
}

/** Fields every course answer carries (CourseSchema without the description body). */
export interface CourseBase {
  id: string;
  slug: string;
  title: string;
  subtitle: string;
  /** Paise; 0 = free. */
  price: number;
  currency: string;
  level: CourseLevel;
  category: string;
  language: string;
  thumbnail_ref: string | null;
  /** The uploaded cover image (WebP), or null: a generated cover is shown instead. */
  thumbnail_url?: string | null;
  is_published: boolean;
  is_free: boolean;
  published_at: string | null;
  archived_at: string | null;
  instructor_id: string;
  instructor: CourseInstructor;
  created_at: string;
  updated_at: string;
}

/** A course in a list (CourseCardSchema): no description body, plus its size. */
export interface CourseCard extends CourseBase {
  lesson_count: number;
  total_duration_seconds: number;
}

export interface OutlineLesson {
  id: string;
  course_id: string;
  section_title: string;
  position: number;
  title: string;
  /** Markdown written by the teacher, and the server's safe rendering of it. */
  description: string;
  description_html: string;
  is_free_preview: boolean;
  duration_seconds: number;
  /** null: no video; 'ready': it can be played (GET /api/lessons/<id>/video-url). */
  video_status?: 'pending' | 'processing' | 'ready' | 'failed' | null;
  /** The caller may not open this lesson. */
  locked: boolean;
}

/** GET /api/courses/<id or slug>: the course as the caller sees it. */
export interface CourseDetail extends CourseCard {
  description: string;
  /** The server's safe rendering of the Markdown `description` (raw HTML escaped). */
  description_html: string;
  enrolled: boolean;
  can_edit: boolean;
  lessons: OutlineLesson[];
}

export interface Category {
  name: string;
  course_count: number;
}

export type PriceFilter = 'free' | 'paid';
export type CatalogSort = 'relevance' | 'newest' | 'title' | 'price' | 'price_desc';

export interface CatalogParams {
  q?: string;
  category?: string;
  level?: CourseLevel;
  price?: PriceFilter;
  sort?: CatalogSort;
  page?: number;
  per_page?: number;
}

export interface Enrollment {
  id: string;
  user_id: string;
  course_id: string;
  source: string;
  status: 'active' | 'revoked';
  created_at: string;
}

/** An entry of GET /api/me/courses. */
export interface MyCourse {
  enrollment_id: string;
  source: string;
  enrolled_at: string;
  course: CourseCard;
  progress: ProgressSummary;
  /** The caller's standing certificate of this course, if earned. */
  certificate_code: string | null;
}

export interface Submission {
  id: string;
  classwork_id: string;
  student_id: string;
  text: string;
  attachment_ref: string | null;
  submitted_at: string;
  grade: number | null;
  feedback: string | null;
  graded_at: string | null;
  is_graded: boolean;
}

/** A classwork item as a participant sees it, with the caller's own submission (students). */
export interface ClassworkEntry {
  id: string;
  course_id: string;
  title: string;
  /** Markdown written by the teacher, and the server's safe rendering of it. */
  instructions: string;
  instructions_html: string;
  due_at: string | null;
  max_points: number;
  created_at: string;
  updated_at: string;
  my_submission: Submission | null;
  /** Owner and admins only (null for students). */
  submission_count: number | null;
  ungraded_count: number | null;
}

// ---- calls ------------------------------------------------------------------------------

export function listCatalog(params: CatalogParams, signal?: AbortSignal): Promise<Page<CourseCard>> {
  return api.get<Page<CourseCard>>('/api/courses', { ...params }, signal);
}

export function listCategories(signal?: AbortSignal): Promise<Category[]> {
  return api.get<Category[]>('/api/courses/categories', undefined, signal);
}

export function getCourse(ref: string, signal?: AbortSignal): Promise<CourseDetail> {
  return api.get<CourseDetail>(`/api/courses/${encodeURIComponent(ref)}`, undefined, signal);
}

export function enrollFree(courseId: string): Promise<Enrollment> {
  return api.post<Enrollment>(`/api/courses/${encodeURIComponent(courseId)}/enroll`);
}

export async function listMyCourses(signal?: AbortSignal): Promise<MyCourse[]> {
  const { items } = await api.get<{ items: MyCourse[] }>('/api/me/courses', undefined, signal);
  return items;
}

export function listClasswork(courseId: string, signal?: AbortSignal): Promise<ClassworkEntry[]> {
  return api.get<ClassworkEntry[]>(`/api/courses/${encodeURIComponent(courseId)}/classwork`, undefined, signal);
}

export function submitClasswork(classworkId: string, text: string): Promise<Submission> {
  return api.post<Submission>(`/api/classwork/${encodeURIComponent(classworkId)}/submissions`, { text });
}

// ---- queries ----------------------------------------------------------------------------

export const courseKeys = {
  all: ['courses'] as const,
  catalog: (params: CatalogParams) => ['courses', 'catalog', params] as const,
  categories: ['courses', 'categories'] as const,
  detail: (ref: string) => ['courses', 'detail', ref] as const,
  classwork: (courseId: string) => ['courses', 'classwork', courseId] as const,
  mine: ['me', 'courses'] as const,
};

export function useCatalog(params: CatalogParams) {
  return useQuery({
    queryKey: courseKeys.catalog(params),
    queryFn: ({ signal }) => listCatalog(params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCategories() {
  return useQuery({
    queryKey: courseKeys.categories,
    queryFn: ({ signal }) => listCategories(signal),
    staleTime: 5 * 60 * 1000,
  });
}

export function useCourse(ref: string) {
  return useQuery({
    queryKey: courseKeys.detail(ref),
    queryFn: ({ signal }) => getCourse(ref, signal),
  });
}

export function useMyCourses() {
  return useQuery({
    queryKey: courseKeys.mine,
    queryFn: ({ signal }) => listMyCourses(signal),
  });
}

export function useClasswork(courseId: string | undefined) {
  return useQuery({
    queryKey: courseKeys.classwork(courseId ?? ''),
    queryFn: ({ signal }) => listClasswork(courseId!, signal),
    enabled: Boolean(courseId),
  });
}

/** Enroll in a free course; the course (now unlocked) and "my courses" are fetched again. */
export function useEnrollFree() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (course: Pick<CourseDetail, 'id' | 'slug'>) => enrollFree(course.id),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['courses', 'detail'] }),
        queryClient.invalidateQueries({ queryKey: courseKeys.mine }),
      ]);
    },
  });
}

export function useSubmitClasswork(courseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ classworkId, text }: { classworkId: string; text: string }) => submitClasswork(classworkId, text),
    onSuccess: (submission) => {
      // Show the saved answer at once, then confirm with the server's list.
      queryClient.setQueryData<ClassworkEntry[]>(courseKeys.classwork(courseId), (entries) =>
        entries?.map((entry) => (entry.id === submission.classwork_id ? { ...entry, my_submission: submission } : entry)),
      );
      void queryClient.invalidateQueries({ queryKey: courseKeys.classwork(courseId) });
    },
  });
}
