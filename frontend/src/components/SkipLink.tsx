import classes from './SkipLink.module.css';

export const MAIN_ID = 'main-content';

/** First focusable element on every page: jumps past the header and navigation. */
export function SkipLink() {
  return (
    <a href={`#${MAIN_ID}`} className={classes.skip}>
      Skip to main content
    </a>
  );
}
