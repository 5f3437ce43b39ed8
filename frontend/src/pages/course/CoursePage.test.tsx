import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { __resetClientStateForTests } from '../../api/client';
import type { CourseDetail, OutlineLesson } from '../../api/courses';
import { jsonResponse, renderWithProviders, sampleUser } from '../../test/render';
import { CoursePage } from './CoursePage';

function lesson(position: number, overrides: Partial<OutlineLesson> = {}): OutlineLesson {
  return {
    id: `00000000-0000-4000-8000-00000000000${position}`,
    course_id: 'c1',
    section_title: position < 3 ? 'Getting started' : 'Colour',
    position,
    title: `Lesson ${position}`,
    description: '',
    description_html: '',
    is_free_preview: false,
    duration_seconds: 300,
    locked: true,
    ...overrides,
  };
}

const freeCourse: CourseDetail = {
  id: '0b9d3c1e-7a55-4b57-9a61-6f4e2f0c1a11',
  slug: 'watercolour-basics',
  title: 'Watercolour basics',
  subtitle: 'Paint loose, bright landscapes',
  description: 'Hello',
  description_html: '<p>Hello <strong>painters</strong></p>\n',
  price: 0,
  currency: 'INR',
  level: 'beginner',
  category: 'Art',
  language: 'English',
  thumbnail_ref: null,
  is_published: true,
  is_free: true,
  published_at: '2025-01-01T00:00:00Z',
  archived_at: null,
  instructor_id: 'a1',
  instructor: { id: 'a1', name: 'Ila Sen' },
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  lesson_count: 3,
  total_duration_seconds: 900,
  enrolled: false,
  can_edit: false,
  lessons: [lesson(1, { is_free_preview: true, locked: false }), lesson(2), lesson(3)],
};

describe('CoursePage', () => {
  let courseAnswer: () => Response;
  let signedIn = false;
  let enrollCalls = 0;

  beforeEach(() => {
    __resetClientStateForTests();
    signedIn = false;
    enrollCalls = 0;
    courseAnswer = () => jsonResponse(200, freeCourse);
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input, init) => {
        const url = String(input);
        if (url === '/api/auth/me') return signedIn ? jsonResponse(200, sampleUser) : jsonResponse(401, { code: 'not_authenticated', message: 'x' });
        if (url.endsWith('/enroll') && init?.method === 'POST') {
          enrollCalls += 1;
          courseAnswer = () => jsonResponse(200, { ...freeCourse, enrolled: true, lessons: freeCourse.lessons.map((l) => ({ ...l, locked: false })) });
          return jsonResponse(201, { id: 'e1', user_id: sampleUser.id, course_id: freeCourse.id, source: 'free', status: 'active', created_at: '' });
        }
        if (url.startsWith('/api/courses/')) return courseAnswer();
        return jsonResponse(401, { code: 'not_authenticated', message: 'x' });
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  function renderPage(ref = 'watercolour-basics') {
    return renderWithProviders(
      <Routes>
        <Route path="/courses/:ref" element={<CoursePage />} />
      </Routes>,
      { route: `/courses/${ref}` },
    );
  }

  it('shows the outline with locks and free previews, and sends visitors to log in to enroll', async () => {
    renderPage();
    expect(await screen.findByRole('heading', { level: 1, name: 'Watercolour basics' })).toBeInTheDocument();
    expect(screen.getAllByRole('img', { name: 'Locked' })).toHaveLength(2);
    expect(screen.getByText('Free preview')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 3, name: 'Getting started' })).toBeInTheDocument();
    expect(screen.getByText('painters').tagName).toBe('STRONG');
    expect(screen.getByRole('link', { name: 'Enroll free' })).toHaveAttribute(
      'href',
      `/login?next=${encodeURIComponent('/courses/watercolour-basics')}`,
    );
  });

  it('enrolls a signed-in student, then offers the course', async () => {
    signedIn = true;
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Enroll free' }));
    expect(await screen.findByRole('link', { name: 'Go to course' })).toHaveAttribute('href', '/learn/watercolour-basics');
    expect(enrollCalls).toBe(1);
    expect(screen.queryAllByRole('img', { name: 'Locked' })).toHaveLength(0);
  });

  it('shows the price of a paid course without a fake buy button', async () => {
    courseAnswer = () => jsonResponse(200, { ...freeCourse, price: 149900, is_free: false });
    renderPage();
    expect(await screen.findByText('Available for purchase soon')).toBeInTheDocument();
    expect(screen.getByTestId('course-price')).toHaveTextContent('₹1,499');
    expect(screen.queryByRole('button', { name: /buy|enroll/i })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /buy|enroll/i })).not.toBeInTheDocument();
  });

  it('marks drafts for their owner and answers unknown courses with a friendly 404', async () => {
    courseAnswer = () => jsonResponse(200, { ...freeCourse, is_published: false, can_edit: true });
    const { unmount } = renderPage();
    expect(await screen.findByTestId('draft-badge')).toHaveTextContent('Draft');
    unmount();

    courseAnswer = () => jsonResponse(404, { code: 'course_not_found', message: 'No such course.' });
    renderPage('missing');
    expect(await screen.findByRole('heading', { level: 1, name: "We can't find that course" })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Browse courses' })).toHaveAttribute('href', '/courses');
  });
});
