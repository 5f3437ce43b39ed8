import { api } from './client';
import type { CourseBase, CourseLevel } from './courses';
import type { Page } from './types';

/**
 * The teacher studio: the caller's courses, course details, lessons, classwork and grading.
 * Shapes follow backend/pathshala/courses/schemas.py and classwork/schemas.py.
 * Money is integer paise (`price`); see components/money.ts for rupee input and display.
 */

export { COURSE_LEVELS } from './courses';
export type { CourseInstructor, CourseLevel } from './courses';

/** Fields every course answer carries (shared with the learner side). */
export type StudioCourseBase = CourseBase;

/** A course in GET /api/studio/courses. */
export interface StudioCourse extends StudioCourseBase {
  lesson_count: number;
  total_duration_seconds: number;
  enrollment_count: number;
}

/** A course as PATCH/POST /api/courses answer it. */
export interface EditableCourse extends StudioCourseBase {
  description: string;
  /** null: every lesson done earns the certificate; else classwork must reach this % too. */
  certificate_pass_percent?: number | null;
  /** The server's safe rendering of `description` (raw HTML escaped). */
  description_html: string;
}

export interface Lesson {
  id: string;
  course_id: string;
  section_title: string;
  position: number;
  title: string;
  description: string;
  is_free_preview: boolean;
  duration_seconds: number;
  video_status?: 'pending' | 'processing' | 'ready' | 'failed' | null;
}

/** GET /api/courses/<ref>: the course with its outline and what the caller may do. */
export interface CourseForEditor extends EditableCourse {
  lesson_count: number;
  total_duration_seconds: number;
  enrolled: boolean;
  can_edit: boolean;
  lessons: (Lesson & { locked: boolean })[];
}

export interface CourseInput {
  title?: string;
  subtitle?: string;
  description?: string;
  price?: number;
  level?: CourseLevel;
  category?: string;
  language?: string;
  is_published?: boolean;
  certificate_pass_percent?: number | null;
}

export interface CourseUpdate extends CourseInput {
  /** true archives, false restores. */
  archived?: boolean;
}

export interface LessonInput {
  title?: string;
  description?: string;
  section_title?: string;
  is_free_preview?: boolean;
  duration_seconds?: number;
}

export interface LessonOrderItem {
  id: string;
  section_title: string;
}

export interface Classwork {
  id: string;
  course_id: string;
  title: string;
  instructions: string;
  /** The server's safe rendering of the Markdown instructions. */
  instructions_html: string;
  due_at: string | null;
  max_points: number;
  created_at: string;
  updated_at: string;
  /** How many students handed in, and how many of those wait for a grade. */
  submission_count: number | null;
  ungraded_count: number | null;
}

export interface ClassworkInput {
  title?: string;
  instructions?: string;
  /** ISO 8601 with a time zone, or null for no due date. */
  due_at?: string | null;
  max_points?: number;
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

export interface SubmissionWithStudent extends Submission {
  student: { id: string; name: string; email: string };
}

export interface Category {
  name: string;
  course_count: number;
}

export type StudioSort = 'updated' | 'title';

export interface StudioListParams {
  page?: number;
  per_page?: number;
  sort?: StudioSort;
}

const enc = encodeURIComponent;

export function listStudioCourses(params: StudioListParams, signal?: AbortSignal): Promise<Page<StudioCourse>> {
  return api.get<Page<StudioCourse>>('/api/studio/courses', { ...params }, signal);
}

export function getCourseForEditor(courseRef: string, signal?: AbortSignal): Promise<CourseForEditor> {
  return api.get<CourseForEditor>(`/api/courses/${enc(courseRef)}`, undefined, signal);
}

export function createCourse(input: CourseInput & { title: string }): Promise<EditableCourse> {
  return api.post<EditableCourse>('/api/courses', input);
}

export function updateCourse(courseId: string, input: CourseUpdate): Promise<EditableCourse> {
  return api.patch<EditableCourse>(`/api/courses/${enc(courseId)}`, input);
}

export function deleteCourse(courseId: string): Promise<void> {
  return api.delete<void>(`/api/courses/${enc(courseId)}`);
}

/** Categories that have published courses: suggestions for the category field. */
export function listCategories(signal?: AbortSignal): Promise<Category[]> {
  return api.get<Category[]>('/api/courses/categories', undefined, signal);
}

export function listLessons(courseId: string, signal?: AbortSignal): Promise<Lesson[]> {
  return api.get<Lesson[]>(`/api/courses/${enc(courseId)}/lessons`, undefined, signal);
}

export function addLesson(courseId: string, input: LessonInput & { title: string }): Promise<Lesson> {
  return api.post<Lesson>(`/api/courses/${enc(courseId)}/lessons`, input);
}

export function updateLesson(lessonId: string, input: LessonInput): Promise<Lesson> {
  return api.patch<Lesson>(`/api/lessons/${enc(lessonId)}`, input);
}

export function deleteLesson(lessonId: string): Promise<void> {
  return api.delete<void>(`/api/lessons/${enc(lessonId)}`);
}

/** Every lesson of the course, in its new order, each with its (possibly new) section. */
export function reorderLessons(courseId: string, lessons: LessonOrderItem[]): Promise<Lesson[]> {
  return api.put<Lesson[]>(`/api/courses/${enc(courseId)}/lessons/order`, { lessons });
}

export function listClasswork(courseId: string, signal?: AbortSignal): Promise<Classwork[]> {
  return api.get<Classwork[]>(`/api/courses/${enc(courseId)}/classwork`, undefined, signal);
}

export function createClasswork(courseId: string, input: ClassworkInput & { title: string }): Promise<Classwork> {
  return api.post<Classwork>(`/api/courses/${enc(courseId)}/classwork`, input);
}

export function updateClasswork(classworkId: string, input: ClassworkInput): Promise<Classwork> {
  return api.patch<Classwork>(`/api/classwork/${enc(classworkId)}`, input);
}

export function deleteClasswork(classworkId: string): Promise<void> {
  return api.delete<void>(`/api/classwork/${enc(classworkId)}`);
}

export function listSubmissions(classworkId: string, signal?: AbortSignal): Promise<SubmissionWithStudent[]> {
  return api.get<SubmissionWithStudent[]>(`/api/classwork/${enc(classworkId)}/submissions`, undefined, signal);
}

/** An enrollment in one of the caller's courses, with the student (owner and admins). */
export interface CourseStudent {
  id: string;
  student: { id: string; name: string; email: string };
  source: 'free' | 'razorpay' | 'stripe' | 'manual' | 'admin_grant';
  status: 'active' | 'revoked';
  enrolled_at: string;
  revoked_at: string | null;
}

export interface CourseStudentParams {
  page: number;
  q?: string;
  sort?: 'newest' | 'name';
}

export function listCourseStudents(courseId: string, params: CourseStudentParams, signal?: AbortSignal): Promise<Page<CourseStudent>> {
  return api.get<Page<CourseStudent>>(`/api/courses/${enc(courseId)}/students`, { per_page: 25, ...params, q: params.q || undefined }, signal);
}

/** Grade (or re-grade) a submission: 0..max_points with feedback for the student. */
export function gradeSubmission(submissionId: string, input: { grade: number; feedback: string }): Promise<Submission> {
  return api.post<Submission>(`/api/submissions/${enc(submissionId)}/grade`, input);
}

export const studioKeys = {
  all: ['studio'] as const,
  lists: () => ['studio', 'courses'] as const,
  list: (params: StudioListParams) => ['studio', 'courses', params] as const,
  course: (courseId: string) => ['studio', 'course', courseId] as const,
  lessons: (courseId: string) => ['studio', 'course', courseId, 'lessons'] as const,
  classwork: (courseId: string) => ['studio', 'course', courseId, 'classwork'] as const,
  submissions: (classworkId: string) => ['studio', 'submissions', classworkId] as const,
  students: (courseId: string, params: CourseStudentParams) => ['studio', 'course', courseId, 'students', params] as const,
  categories: () => ['studio', 'categories'] as const,
};
