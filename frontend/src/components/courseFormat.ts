import type { CourseLevel } from '../api/courses';

/**
 * How course facts read in the learner pages: lesson lengths, course totals, counts and levels.
 * Prices live in money.ts (formatCoursePrice).
 */

/** One lesson's length like a video player shows it: 750 → "12:30", 3900 → "1:05:00"; "" when unknown. */
export function formatLessonDuration(seconds: number | null | undefined): string {
  if (!seconds || seconds < 0 || !Number.isFinite(seconds)) return '';
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** For a <time dateTime>: 750 → "PT12M30S". */
export function isoDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds || 0));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

/** A course or section total for reading: 3900 → "1 h 5 min", 750 → "13 min", 20 → "1 min"; "" when unknown. */
export function formatTotalDuration(seconds: number | null | undefined): string {
  if (!seconds || seconds <= 0 || !Number.isFinite(seconds)) return '';
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** The same total spelled out for screen readers: 3900 → "1 hour 5 minutes". */
export function describeTotalDuration(seconds: number | null | undefined): string {
  const short = formatTotalDuration(seconds);
  return short
    .replace(/(\d+) h\b/, (_, n: string) => `${n} ${n === '1' ? 'hour' : 'hours'}`)
    .replace(/(\d+) min\b/, (_, n: string) => `${n} ${n === '1' ? 'minute' : 'minutes'}`);
}

export function formatLessonCount(count: number): string {
  return `${count} ${count === 1 ? 'lesson' : 'lessons'}`;
}

/** "3 lessons · 1 h 5 min", or just the count when no lesson has a length yet. */
export function formatCourseSize(lessonCount: number, totalSeconds: number): string {
  const total = formatTotalDuration(totalSeconds);
  return total ? `${formatLessonCount(lessonCount)} · ${total}` : formatLessonCount(lessonCount);
}

export const LEVEL_LABELS: Record<CourseLevel, string> = {
  beginner: 'Beginner',
  intermediate: 'Intermediate',
  advanced: 'Advanced',
};

export const LEVEL_COLORS: Record<CourseLevel, string> = {
  beginner: 'teal',
  intermediate: 'blue',
  advanced: 'grape',
};

export function levelLabel(level: string): string {
  return LEVEL_LABELS[level as CourseLevel] ?? level;
}
