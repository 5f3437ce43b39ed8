import { useState, type CSSProperties } from 'react';
import classes from './CourseThumbnail.module.css';

/** Curated hue pairs (from → to) that keep white text readable. */
const PALETTES: readonly [string, string][] = [
  ['#4c5bd4', '#2b2f8f'], // indigo
  ['#7b4fd6', '#45238f'], // violet
  ['#0f8f83', '#0b5560'], // teal
  ['#1f7fc4', '#17497f'], // blue
  ['#c2417a', '#7d1f4f'], // rose
  ['#c8641e', '#8a3510'], // amber
  ['#2f8a4e', '#1c5433'], // green
  ['#5f6b85', '#323a4f'], // slate
];

/** A stable palette for a course, so its cover looks the same on every page. */
export function placeholderPalette(seed: string): [string, string] {
  let hash = 0;
  for (let i = 0; i < seed.length; i += 1) hash = (hash * 31 + seed.charCodeAt(i)) >>> 0;
  return PALETTES[hash % PALETTES.length] as [string, string];
}

/** Only references a browser can load are shown as images; storage keys are not (yet) URLs. */
export function thumbnailUrl(ref: string | null | undefined): string | null {
  if (!ref) return null;
  if (/^https?:\/\//i.test(ref) || (ref.startsWith('/') && !ref.startsWith('//'))) return ref;
  return null;
}

function initialOf(title: string): string {
  const letter = Array.from(title.trim()).find((c) => /[\p{L}\p{N}]/u.test(c));
  return (letter ?? '•').toUpperCase();
}

interface CourseThumbnailProps {
  course: { id: string; title: string; category?: string; thumbnail_ref: string | null; thumbnail_url?: string | null };
  radius?: string | number;
}

/** The course's cover image, or a generated one. Decorative: the title is always shown beside it. */
export function CourseThumbnail({ course, radius = 0 }: CourseThumbnailProps) {
  const [failed, setFailed] = useState(false);
  const url = failed ? null : (course.thumbnail_url ?? thumbnailUrl(course.thumbnail_ref));
  const [from, to] = placeholderPalette(course.id || course.title);
  return (
    <div className={classes.frame} style={{ borderRadius: radius }} aria-hidden data-testid="course-thumbnail">
      {url ? (
        <img className={classes.image} src={url} alt="" loading="lazy" onError={() => setFailed(true)} />
      ) : (
        <div className={classes.placeholder} style={{ '--thumb-from': from, '--thumb-to': to } as CSSProperties}>
          {course.category && <span className={classes.category}>{course.category}</span>}
          <span className={classes.initial}>{initialOf(course.title)}</span>
        </div>
      )}
    </div>
  );
}
