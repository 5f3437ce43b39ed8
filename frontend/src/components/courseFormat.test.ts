import { describe, expect, it } from 'vitest';
import {
  describeTotalDuration,
  formatCourseSize,
  formatLessonCount,
  formatLessonDuration,
  formatTotalDuration,
  isoDuration,
  levelLabel,
} from './courseFormat';

describe('formatLessonDuration', () => {
  it('reads like a player clock', () => {
    expect(formatLessonDuration(750)).toBe('12:30');
    expect(formatLessonDuration(59)).toBe('0:59');
    expect(formatLessonDuration(600)).toBe('10:00');
    expect(formatLessonDuration(3900)).toBe('1:05:00');
    expect(formatLessonDuration(36_000 + 61)).toBe('10:01:01');
  });

  it('has a machine-readable form for <time>', () => {
    expect(isoDuration(750)).toBe('PT12M30S');
    expect(isoDuration(3600)).toBe('PT1H');
    expect(isoDuration(0)).toBe('PT0S');
  });

  it('is empty when the length is unknown or nonsense', () => {
    expect(formatLessonDuration(0)).toBe('');
    expect(formatLessonDuration(null)).toBe('');
    expect(formatLessonDuration(undefined)).toBe('');
    expect(formatLessonDuration(-5)).toBe('');
    expect(formatLessonDuration(Number.NaN)).toBe('');
  });
});

describe('formatTotalDuration', () => {
  it('rounds to minutes and switches to hours at 60', () => {
    expect(formatTotalDuration(750)).toBe('13 min');
    expect(formatTotalDuration(20)).toBe('1 min');
    expect(formatTotalDuration(3540)).toBe('59 min');
    expect(formatTotalDuration(3600)).toBe('1 h');
    expect(formatTotalDuration(3900)).toBe('1 h 5 min');
    expect(formatTotalDuration(10 * 3600 + 30)).toBe('10 h 1 min');
  });

  it('is empty for no duration', () => {
    expect(formatTotalDuration(0)).toBe('');
    expect(formatTotalDuration(null)).toBe('');
  });

  it('has a spelled-out form for screen readers', () => {
    expect(describeTotalDuration(3900)).toBe('1 hour 5 minutes');
    expect(describeTotalDuration(7200 + 60)).toBe('2 hours 1 minute');
    expect(describeTotalDuration(0)).toBe('');
  });
});

describe('counts and levels', () => {
  it('pluralises lessons', () => {
    expect(formatLessonCount(0)).toBe('0 lessons');
    expect(formatLessonCount(1)).toBe('1 lesson');
    expect(formatLessonCount(12)).toBe('12 lessons');
  });

  it('combines count and total, leaving out an unknown total', () => {
    expect(formatCourseSize(3, 1500)).toBe('3 lessons · 25 min');
    expect(formatCourseSize(3, 0)).toBe('3 lessons');
  });

  it('labels levels and passes unknown ones through', () => {
    expect(levelLabel('beginner')).toBe('Beginner');
    expect(levelLabel('expert')).toBe('expert');
  });
});
