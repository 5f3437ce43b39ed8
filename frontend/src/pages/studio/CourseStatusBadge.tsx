import { Badge, type BadgeProps } from '@mantine/core';

export type CourseStatus = 'draft' | 'published' | 'archived';

export function courseStatus(course: { is_published: boolean; archived_at: string | null }): CourseStatus {
  if (course.archived_at) return 'archived';
  return course.is_published ? 'published' : 'draft';
}

const STATUS: Record<CourseStatus, { label: string; color: string }> = {
  draft: { label: 'Draft', color: 'gray' },
  published: { label: 'Published', color: 'green' },
  archived: { label: 'Archived', color: 'orange' },
};

/** Draft / Published / Archived, the same words and colours everywhere in the studio. */
export function CourseStatusBadge({ course, ...props }: { course: { is_published: boolean; archived_at: string | null } } & BadgeProps) {
  const status = courseStatus(course);
  return (
    <Badge variant="dot" color={STATUS[status].color} data-testid="course-status" {...props}>
      {STATUS[status].label}
    </Badge>
  );
}
