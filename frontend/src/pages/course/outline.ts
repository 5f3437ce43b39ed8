import type { OutlineLesson } from '../../api/courses';

export interface OutlineSection {
  /** Stable React key: the section's position in the outline. */
  key: string;
  /** The teacher's section title; '' for lessons outside any section. */
  title: string;
  lessons: OutlineLesson[];
  totalSeconds: number;
}

/**
 * Lessons in order, grouped into their sections. A section is a run of consecutive lessons with
 * the same section title, so a title used twice (far apart) gives two sections, as the teacher
 * ordered them.
 */
export function groupSections(lessons: readonly OutlineLesson[]): OutlineSection[] {
  const ordered = [...lessons].sort((a, b) => a.position - b.position);
  const sections: OutlineSection[] = [];
  for (const lesson of ordered) {
    const title = lesson.section_title.trim();
    let current = sections[sections.length - 1];
    if (!current || current.title !== title) {
      current = { key: `section-${sections.length}`, title, lessons: [], totalSeconds: 0 };
      sections.push(current);
    }
    current.lessons.push(lesson);
    current.totalSeconds += lesson.duration_seconds || 0;
  }
  return sections;
}

/** The lessons in reading order (the order of the outline). */
export function orderedLessons(lessons: readonly OutlineLesson[]): OutlineLesson[] {
  return groupSections(lessons).flatMap((section) => section.lessons);
}
