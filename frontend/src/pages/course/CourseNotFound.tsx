import { Button } from '@mantine/core';
import { IconBookOff } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { EmptyState } from '../../components/EmptyState';
import { usePageTitle } from '../../components/usePageTitle';

/** A course that does not exist, or that this visitor may not see (drafts answer 404 too). */
export function CourseNotFound() {
  usePageTitle('Course not found');
  return (
    <EmptyState
      icon={IconBookOff}
      headingOrder={1}
      title="We can't find that course"
      testId="course-not-found"
      action={
        <Button component={Link} to="/courses">
          Browse courses
        </Button>
      }
    >
      It may not be published yet, it may have been removed, or the link may be mistyped.
    </EmptyState>
  );
}
