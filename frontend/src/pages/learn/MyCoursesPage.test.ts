import { describe, expect, it } from 'vitest';
import { continueLabel } from './MyCoursesPage';

const progress = (completed: number, total: number, started: boolean) => ({
  completed_lessons: completed,
  total_lessons: total,
  percent: total ? Math.floor((100 * completed) / total) : 0,
  resume_lesson_id: null,
  last_activity_at: started ? '2026-11-23T10:00:00Z' : null,
});

describe("a course card's way in", () => {
  it('says Start before the first lesson is opened', () => {
    expect(continueLabel(progress(0, 5, false))).toBe('Start');
  });

  it('says Continue part way', () => {
    expect(continueLabel(progress(0, 5, true))).toBe('Continue');
    expect(continueLabel(progress(4, 5, true))).toBe('Continue');
  });

  it('says Review once every lesson is complete', () => {
    expect(continueLabel(progress(5, 5, true))).toBe('Review');
  });
});
