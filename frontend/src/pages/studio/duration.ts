/** Lesson lengths: typed as minutes:seconds (or h:mm:ss), stored as whole seconds. */

export const MAX_DURATION_SECONDS = 24 * 3600;

export type DurationParse = { ok: true; seconds: number } | { ok: false; error: string };

/**
 * "12:30" → 750, "1:05:00" → 3900, "45" → 45 minutes, "" → 0 (unknown). Seconds must be
 * below 60 when minutes are given; the API caps a lesson at 24 hours.
 */
export function parseDuration(input: string): DurationParse {
  const text = input.trim();
  if (!text) return { ok: true, seconds: 0 };
  const parts = text.split(':');
  if (parts.length > 3 || parts.some((p) => !/^\d{1,4}$/.test(p.trim()))) {
    return { ok: false, error: 'Use minutes:seconds, e.g. 12:30' };
  }
  const numbers = parts.map((p) => Number(p.trim()));
  let seconds: number;
  if (numbers.length === 1) {
    seconds = numbers[0] * 60;
  } else {
    const [sec, min, hours = 0] = [...numbers].reverse();
    if (sec >= 60) return { ok: false, error: 'Seconds must be between 0 and 59' };
    if (numbers.length === 3 && min >= 60) return { ok: false, error: 'Minutes must be between 0 and 59 when hours are given' };
    seconds = hours * 3600 + min * 60 + sec;
  }
  if (seconds > MAX_DURATION_SECONDS) return { ok: false, error: 'A lesson can be at most 24 hours long' };
  return { ok: true, seconds };
}

/** Seconds as the text for the duration field: 750 → "12:30", 3900 → "65:00", 0 → "". */
export function durationToInput(seconds: number): string {
  if (!seconds || seconds < 0) return '';
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}

/** For reading: 750 → "12:30", 3900 → "1:05:00". */
export function formatDuration(seconds: number): string {
  if (!seconds || seconds < 0) return '0:00';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A total for summaries: 3900 → "1 h 5 min", 750 → "13 min", 0 → "0 min". */
export function formatTotalDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}
