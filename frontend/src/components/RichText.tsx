import { Typography } from '@mantine/core';

/**
 * Teacher-written Markdown as the server rendered it (courses/markdown.py escapes raw HTML and
 * drops unsafe links), so it is inserted as is. Never pass HTML from anywhere else.
 */
export function RichText({ html, testId, size }: { html: string; testId?: string; size?: 'sm' }) {
  return (
    <Typography data-testid={testId} style={{ overflowWrap: 'anywhere', fontSize: size === 'sm' ? 'var(--mantine-font-size-sm)' : undefined }}>
      <div dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}
