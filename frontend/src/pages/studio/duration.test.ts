import { describe, expect, it } from 'vitest';
import { durationToInput, formatDuration, formatTotalDuration, parseDuration } from './duration';
import { isoToLocalInput, localInputToIso } from './datetime';

const secs = (input: string) => {
  const r = parseDuration(input);
  return r.ok ? r.seconds : r.error;
};

describe('parseDuration', () => {
  it('reads minutes:seconds, h:mm:ss and plain minutes', () => {
    expect(secs('12:30')).toBe(750);
    expect(secs('0:45')).toBe(45);
    expect(secs('90:00')).toBe(5400);
    expect(secs('1:05:00')).toBe(3900);
    expect(secs('45')).toBe(2700);
    expect(secs(' 2:05 ')).toBe(125);
    expect(secs('')).toBe(0);
  });

  it('explains what is wrong', () => {
    expect(secs('12:75')).toBe('Seconds must be between 0 and 59');
    expect(secs('1:75:00')).toMatch(/Minutes must be between 0 and 59/);
    expect(secs('abc')).toMatch(/minutes:seconds/);
    expect(secs('12.5')).toMatch(/minutes:seconds/);
    expect(secs('-3')).toMatch(/minutes:seconds/);
    expect(secs('1:2:3:4')).toMatch(/minutes:seconds/);
    expect(secs('24:00:01')).toMatch(/at most 24 hours/);
  });

  it('round-trips through the field text', () => {
    for (const value of [45, 750, 3900, 86_400]) expect(secs(durationToInput(value))).toBe(value);
    expect(durationToInput(0)).toBe('');
  });

  it('formats lengths for reading', () => {
    expect(formatDuration(750)).toBe('12:30');
    expect(formatDuration(3900)).toBe('1:05:00');
    expect(formatTotalDuration(3900)).toBe('1 h 5 min');
    expect(formatTotalDuration(7200)).toBe('2 h');
    expect(formatTotalDuration(750)).toBe('13 min');
  });
});

describe('due dates', () => {
  it('converts a local datetime-local value to ISO with a zone and back', () => {
    const iso = localInputToIso('2030-03-01T17:00');
    expect(iso).toMatch(/^2030-03-0\dT\d\d:00:00\.000Z$/);
    expect(isoToLocalInput(iso as string)).toBe('2030-03-01T17:00');
  });

  it('treats an empty field as no due date and refuses junk', () => {
    expect(localInputToIso('')).toBeNull();
    expect(localInputToIso('tomorrow')).toBe('invalid');
    expect(isoToLocalInput(null)).toBe('');
    expect(isoToLocalInput('not a date')).toBe('');
  });
});
