import { describe, expect, it } from 'vitest';
import type { OutlineLesson } from '../../api/courses';
import { groupSections, orderedLessons } from './outline';

function lesson(position: number, section: string, duration = 60): OutlineLesson {
  return {
    id: `l${position}`,
    course_id: 'c',
    section_title: section,
    position,
    title: `Lesson ${position}`,
    description: '',
    description_html: '',
    is_free_preview: false,
    duration_seconds: duration,
    locked: true,
  };
}

describe('groupSections', () => {
  it('groups consecutive lessons by section, in position order, with totals', () => {
    const sections = groupSections([lesson(3, 'Colour'), lesson(1, 'Basics', 120), lesson(2, 'Basics', 180)]);
    expect(sections.map((s) => [s.title, s.lessons.map((l) => l.id), s.totalSeconds])).toEqual([
      ['Basics', ['l1', 'l2'], 300],
      ['Colour', ['l3'], 60],
    ]);
  });

  it('keeps lessons without a section as their own group and repeats a title used apart', () => {
    const sections = groupSections([lesson(1, ''), lesson(2, 'A'), lesson(3, ' A '), lesson(4, 'B'), lesson(5, 'A')]);
    expect(sections.map((s) => s.title)).toEqual(['', 'A', 'B', 'A']);
    expect(new Set(sections.map((s) => s.key)).size).toBe(4);
  });

  it('gives nothing for no lessons', () => {
    expect(groupSections([])).toEqual([]);
    expect(orderedLessons([lesson(2, 'x'), lesson(1, 'y')]).map((l) => l.id)).toEqual(['l1', 'l2']);
  });
});
