import { Button } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { EmptyState } from '../../components/EmptyState';

/** Shown instead of lessons or classwork to someone who has not joined the course. */
export function NotEnrolled({ courseRef, headingOrder = 1, what = 'its lessons and classwork' }: { courseRef: string; headingOrder?: 1 | 2; what?: string }) {
  return (
    <EmptyState
      icon={IconLock}
      color="orange"
      headingOrder={headingOrder}
      title="You're not enrolled in this course"
      testId="not-enrolled"
      action={
        <Button component={Link} to={`/courses/${courseRef}`}>
          Go to the course page
        </Button>
      }
    >
      Enroll on the course page to open {what}.
    </EmptyState>
  );
}
