import type { Lesson, LessonOrderItem } from '../../api/studio';

/** Lessons grouped into a course's sections (chapters), in the order the course shows them. */
export interface Section<L extends Lesson = Lesson> {
  title: string;
  lessons: L[];
}

/**
 * Group lessons by section title, sections in the order of their first lesson. Lessons that
 * share a title belong to one section even if their stored positions are interleaved; the
 * flattened grouping is the order the editor saves (see `needsNormalising`).
 */
export function groupIntoSections<L extends Lesson>(lessons: readonly L[]): Section<L>[] {
  const sorted = [...lessons].sort((a, b) => a.position - b.position);
  const sections: Section<L>[] = [];
  const byTitle = new Map<string, Section<L>>();
  for (const lesson of sorted) {
    const title = lesson.section_title.trim();
    let section = byTitle.get(title);
    if (!section) {
      section = { title, lessons: [] };
      byTitle.set(title, section);
      sections.push(section);
    }
    section.lessons.push(lesson);
  }
  return sections;
}

/** The lessons in display order, each carrying its section title and 1-based position. */
export function flattenSections<L extends Lesson>(sections: readonly Section<L>[]): L[] {
  const out: L[] = [];
  for (const section of sections) {
    for (const lesson of section.lessons) {
      out.push({ ...lesson, section_title: section.title, position: out.length + 1 });
    }
  }
  return out;
}

/** The body of PUT /api/courses/<id>/lessons/order for this arrangement. */
export function toOrderItems(sections: readonly Section[]): LessonOrderItem[] {
  return sections.flatMap((section) => section.lessons.map((lesson) => ({ id: lesson.id, section_title: section.title })));
}

/** True when the stored positions do not already follow the section grouping. */
export function needsNormalising(lessons: readonly Lesson[]): boolean {
  const stored = [...lessons].sort((a, b) => a.position - b.position).map((l) => l.id);
  const grouped = flattenSections(groupIntoSections(lessons)).map((l) => l.id);
  return stored.some((id, i) => id !== grouped[i]);
}

export type Direction = 'up' | 'down';

export interface LessonMove<L extends Lesson = Lesson> {
  sections: Section<L>[];
  /** Section the lesson ends up in, and its 1-based place there. */
  sectionTitle: string;
  indexInSection: number;
  changedSection: boolean;
}

/**
 * Move a lesson one place up or down. At the edge of a section it crosses into the
 * neighbouring section (end of the previous one, start of the next one), taking that
 * section's title; a section left empty disappears. Null when it cannot move further.
 */
export function moveLesson<L extends Lesson>(sections: readonly Section<L>[], lessonId: string, direction: Direction): LessonMove<L> | null {
  const copy = sections.map((s) => ({ title: s.title, lessons: [...s.lessons] }));
  const si = copy.findIndex((s) => s.lessons.some((l) => l.id === lessonId));
  if (si === -1) return null;
  const section = copy[si];
  const li = section.lessons.findIndex((l) => l.id === lessonId);
  const [lesson] = section.lessons.splice(li, 1);
  let target = si;
  let index: number;
  if (direction === 'up') {
    if (li > 0) {
      index = li - 1;
    } else if (si > 0) {
      target = si - 1;
      index = copy[target].lessons.length;
    } else {
      return null;
    }
  } else if (li < section.lessons.length) {
    index = li + 1;
  } else if (si < copy.length - 1) {
    target = si + 1;
    index = 0;
  } else {
    return null;
  }
  const destination = copy[target];
  destination.lessons.splice(index, 0, { ...lesson, section_title: destination.title });
  return {
    sections: copy.filter((s) => s.lessons.length > 0),
    sectionTitle: destination.title,
    indexInSection: index + 1,
    changedSection: target !== si,
  };
}

/** Move a whole section (with its lessons) one place up or down; null at the edge. */
export function moveSection<L extends Lesson>(sections: readonly Section<L>[], sectionIndex: number, direction: Direction): Section<L>[] | null {
  const to = direction === 'up' ? sectionIndex - 1 : sectionIndex + 1;
  if (sectionIndex < 0 || sectionIndex >= sections.length || to < 0 || to >= sections.length) return null;
  const copy = [...sections];
  [copy[sectionIndex], copy[to]] = [copy[to], copy[sectionIndex]];
  return copy;
}

/** Whether a lesson can move in a direction (for disabling the buttons). */
export function canMove(sections: readonly Section[], lessonId: string, direction: Direction): boolean {
  const si = sections.findIndex((s) => s.lessons.some((l) => l.id === lessonId));
  if (si === -1) return false;
  const li = sections[si].lessons.findIndex((l) => l.id === lessonId);
  if (direction === 'up') return si > 0 || li > 0;
  return si < sections.length - 1 || li < sections[si].lessons.length - 1;
}

/** The name people see for a section; lessons without one are grouped as "No section". */
export function sectionLabel(title: string): string {
  return title.trim() || 'No section';
}
