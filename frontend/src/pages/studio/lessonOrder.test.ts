import { describe, expect, it } from 'vitest';
import type { Lesson } from '../../api/studio';
import { canMove, flattenSections, groupIntoSections, moveLesson, moveSection, needsNormalising, sectionLabel, toOrderItems } from './lessonOrder';

function lesson(id: string, section: string, position: number): Lesson {
  return { id, course_id: 'c', section_title: section, position, title: id, description: '', is_free_preview: false, duration_seconds: 60 };
}

const ids = (sections: { title: string; lessons: Lesson[] }[]) => sections.map((s) => `${s.title}: ${s.lessons.map((l) => l.id).join(' ')}`);

describe('groupIntoSections', () => {
  it('groups by section title in order of first appearance, lessons by position', () => {
    const sections = groupIntoSections([lesson('c', 'Basics', 3), lesson('a', 'Intro', 1), lesson('b', 'Intro', 2)]);
    expect(ids(sections)).toEqual(['Intro: a b', 'Basics: c']);
  });

  it('keeps one section for interleaved positions and reports that the stored order needs normalising', () => {
    const lessons = [lesson('a', 'Intro', 1), lesson('b', 'Basics', 2), lesson('c', 'Intro', 3)];
    expect(ids(groupIntoSections(lessons))).toEqual(['Intro: a c', 'Basics: b']);
    expect(needsNormalising(lessons)).toBe(true);
    expect(needsNormalising([lesson('a', 'Intro', 1), lesson('c', 'Intro', 2), lesson('b', 'Basics', 3)])).toBe(false);
  });

  it('treats surrounding spaces as the same section and names the untitled one', () => {
    expect(ids(groupIntoSections([lesson('a', ' Intro ', 1), lesson('b', 'Intro', 2)]))).toEqual(['Intro: a b']);
    expect(sectionLabel('')).toBe('No section');
    expect(sectionLabel('Intro')).toBe('Intro');
  });
});

describe('moveLesson', () => {
  const sections = groupIntoSections([lesson('a', 'Intro', 1), lesson('b', 'Intro', 2), lesson('c', 'Basics', 3)]);

  it('swaps within a section', () => {
    const moved = moveLesson(sections, 'b', 'up');
    expect(moved && ids(moved.sections)).toEqual(['Intro: b a', 'Basics: c']);
    expect(moved).toMatchObject({ sectionTitle: 'Intro', indexInSection: 1, changedSection: false });
  });

  it('crosses into the next section at the bottom, taking its title', () => {
    const moved = moveLesson(sections, 'b', 'down');
    expect(moved && ids(moved.sections)).toEqual(['Intro: a', 'Basics: b c']);
    expect(moved?.sections[1].lessons[0].section_title).toBe('Basics');
    expect(moved).toMatchObject({ sectionTitle: 'Basics', indexInSection: 1, changedSection: true });
  });

  it('crosses into the previous section at the top, and an emptied section disappears', () => {
    const moved = moveLesson(sections, 'c', 'up');
    expect(moved && ids(moved.sections)).toEqual(['Intro: a b c']);
    expect(moved).toMatchObject({ sectionTitle: 'Intro', indexInSection: 3, changedSection: true });
  });

  it('refuses to move past either end of the course', () => {
    expect(moveLesson(sections, 'a', 'up')).toBeNull();
    expect(moveLesson(sections, 'c', 'down')).toBeNull();
    expect(moveLesson(sections, 'nope', 'down')).toBeNull();
    expect(canMove(sections, 'a', 'up')).toBe(false);
    expect(canMove(sections, 'a', 'down')).toBe(true);
    expect(canMove(sections, 'c', 'up')).toBe(true);
    expect(canMove(sections, 'c', 'down')).toBe(false);
  });

  it('does not change its input', () => {
    const before = JSON.stringify(sections);
    moveLesson(sections, 'b', 'down');
    expect(JSON.stringify(sections)).toBe(before);
  });
});

describe('moveSection, flattenSections and toOrderItems', () => {
  const sections = groupIntoSections([lesson('a', 'Intro', 1), lesson('b', 'Intro', 2), lesson('c', 'Basics', 3)]);

  it('moves a whole section', () => {
    expect(ids(moveSection(sections, 1, 'up') ?? [])).toEqual(['Basics: c', 'Intro: a b']);
    expect(moveSection(sections, 0, 'up')).toBeNull();
    expect(moveSection(sections, 1, 'down')).toBeNull();
  });

  it('numbers lessons 1..n across sections and builds the PUT lessons/order body', () => {
    const next = moveSection(sections, 1, 'up') ?? [];
    expect(flattenSections(next).map((l) => [l.id, l.position, l.section_title])).toEqual([
      ['c', 1, 'Basics'],
      ['a', 2, 'Intro'],
      ['b', 3, 'Intro'],
    ]);
    expect(toOrderItems(next)).toEqual([
      { id: 'c', section_title: 'Basics' },
      { id: 'a', section_title: 'Intro' },
      { id: 'b', section_title: 'Intro' },
    ]);
  });
});
