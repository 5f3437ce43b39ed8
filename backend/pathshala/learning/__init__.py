"""A student's way through a course: watched time, resume positions and completed lessons."""
