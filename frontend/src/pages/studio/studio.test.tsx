import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { __resetClientStateForTests } from '../../api/client';
import type { CourseForEditor, Lesson, StudioCourse } from '../../api/studio';
import { jsonResponse, renderWithProviders, sampleUser } from '../../test/render';
import { CourseEditorPage } from './CourseEditorPage';
import { LessonsTab } from './LessonsTab';
import { NewCoursePage } from './NewCoursePage';
import { StudioPage } from './StudioPage';

type Handler = (init: RequestInit | undefined, url: URL) => Response | Promise<Response>;
let routes: Record<string, Handler>;
let fetchMock: ReturnType<typeof vi.fn<typeof fetch>>;

const teacher = { ...sampleUser, id: 'teacher-1', role: 'teacher' as const, name: 'Ravi Shankar' };

const baseCourse: CourseForEditor = {
  id: '11111111-2222-3333-4444-555555555555',
  slug: 'raga-basics',
  title: 'Raga basics',
  subtitle: 'Sing your first raga',
  description: 'Learn **Yaman**.',
  description_html: '<p>Learn <strong>Yaman</strong>.</p>',
  price: 149950,
  currency: 'INR',
  level: 'beginner',
  category: 'Music',
  language: 'Hindi',
  thumbnail_ref: null,
  is_published: false,
  is_free: false,
  published_at: null,
  archived_at: null,
  instructor_id: 'teacher-1',
  instructor: { id: 'teacher-1', name: 'Ravi Shankar' },
  created_at: '2025-01-10T09:00:00Z',
  updated_at: '2025-01-11T09:00:00Z',
  lesson_count: 0,
  total_duration_seconds: 0,
  enrolled: false,
  can_edit: true,
  lessons: [],
};

function studioCourse(overrides: Partial<StudioCourse> = {}): StudioCourse {
  const { description: _d, description_html: _h, lessons: _l, enrolled: _e, can_edit: _c, ...card } = baseCourse;
  return { ...card, lesson_count: 3, total_duration_seconds: 1500, enrollment_count: 2, ...overrides };
}

beforeEach(() => {
  __resetClientStateForTests();
  routes = { 'GET /api/auth/me': () => jsonResponse(200, teacher) };
  fetchMock = vi.fn<typeof fetch>(async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    const key = `${init?.method ?? 'GET'} ${url.pathname}`;
    const handler = routes[key];
    if (!handler) return jsonResponse(404, { code: 'not_found', message: `No mock for ${key}` });
    return handler(init, url);
  });
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

const calls = (method: string, path: string) =>
  fetchMock.mock.calls.filter((c) => (c[1]?.method ?? 'GET') === method && new URL(String(c[0]), 'http://localhost').pathname === path);

describe('StudioPage', () => {
  it('invites a first-time teacher to create their first course', async () => {
    routes['GET /api/studio/courses'] = () => jsonResponse(200, { items: [], total: 0, page: 1, per_page: 20 });
    renderWithProviders(<StudioPage />, { route: '/studio' });
    const empty = await screen.findByTestId('studio-empty');
    expect(within(empty).getByRole('heading', { name: 'Create your first course' })).toBeInTheDocument();
    expect(within(empty).getByRole('link', { name: 'Create your first course' })).toHaveAttribute('href', '/studio/courses/new');
    expect(screen.getByRole('link', { name: 'New course' })).toHaveAttribute('href', '/studio/courses/new');
  });

  it('lists courses with status, counts and the price in rupees', async () => {
    routes['GET /api/studio/courses'] = () =>
      jsonResponse(200, {
        items: [studioCourse(), studioCourse({ id: 'c2', title: 'Tabla', price: 0, is_published: true, enrollment_count: 1, lesson_count: 1 }), studioCourse({ id: 'c3', title: 'Old', archived_at: '2025-02-01T00:00:00Z' })],
        total: 3,
        page: 1,
        per_page: 20,
      });
    renderWithProviders(<StudioPage />, { route: '/studio' });
    const rows = await screen.findAllByTestId('studio-course');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('Draft');
    expect(rows[0]).toHaveTextContent('₹1,499.50');
    expect(rows[0]).toHaveTextContent('3 lessons');
    expect(rows[0]).toHaveTextContent('2 students');
    expect(rows[1]).toHaveTextContent('Published');
    expect(rows[1]).toHaveTextContent('Free');
    expect(rows[1]).toHaveTextContent('1 lesson');
    expect(rows[1]).toHaveTextContent('1 student');
    expect(rows[2]).toHaveTextContent('Archived');
    expect(within(rows[0]).getByRole('link', { name: 'Edit Raga basics' })).toHaveAttribute('href', `/studio/courses/${baseCourse.id}`);
  });

  it('shows a retryable error when the list fails', async () => {
    routes['GET /api/studio/courses'] = () => jsonResponse(500, { code: 'internal_error', message: 'Something broke.' });
    renderWithProviders(<StudioPage />, { route: '/studio' });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Couldn't load your courses");
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});

// Typing into several fields is slow on a loaded machine; these tests get more time.
describe('NewCoursePage', { timeout: 20_000 }, () => {
  function renderNew() {
    return renderWithProviders(
      <Routes>
        <Route path="/studio/courses/new" element={<NewCoursePage />} />
        <Route path="/studio/courses/:courseId" element={<p>Editor for the new course</p>} />
      </Routes>,
      { route: '/studio/courses/new' },
    );
  }

  it('checks fields before sending and sends the price in paise', async () => {
    routes['GET /api/courses/categories'] = () => jsonResponse(200, []);
    routes['POST /api/courses'] = () => jsonResponse(201, { ...baseCourse });
    const user = userEvent.setup();
    renderNew();
    await user.type(screen.getByLabelText(/Price/), 'abc');
    await user.click(screen.getByRole('button', { name: 'Create course' }));
    expect(await screen.findByText('Give the course a title')).toBeInTheDocument();
    expect(screen.getByText(/Enter the price as a number of rupees/)).toBeInTheDocument();
    expect(calls('POST', '/api/courses')).toHaveLength(0);

    await user.type(screen.getByLabelText(/^Title/), 'Raga basics');
    await user.clear(screen.getByLabelText(/Price/));
    await user.type(screen.getByLabelText(/Price/), '1499.50');
    expect(screen.getByText('Students pay ₹1,499.50.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create course' }));
    expect(await screen.findByText('Editor for the new course')).toBeInTheDocument();
    const body = JSON.parse(String(calls('POST', '/api/courses')[0][1]?.body));
    expect(body).toMatchObject({ title: 'Raga basics', price: 149950, level: 'beginner', language: 'English' });
  });

  it('puts 422 field errors from the API on the fields', async () => {
    routes['GET /api/courses/categories'] = () => jsonResponse(200, []);
    routes['POST /api/courses'] = () =>
      jsonResponse(422, { code: 'invalid_input', message: 'Some fields are not valid.', fields: { price: ['The price is above the limit.'], title: ['Too similar.'] } });
    const user = userEvent.setup();
    renderNew();
    await user.type(screen.getByLabelText(/^Title/), 'Raga basics');
    await user.type(screen.getByLabelText(/Price/), '0');
    await user.click(screen.getByRole('button', { name: 'Create course' }));
    expect(await screen.findByText('The price is above the limit.')).toBeInTheDocument();
    expect(screen.getByText('Too similar.')).toBeInTheDocument();
    expect(screen.getByLabelText(/Price/)).toHaveAttribute('aria-invalid', 'true');
  });
});

describe('CourseEditorPage', () => {
  function renderEditor(tab = 'details') {
    return renderWithProviders(
      <Routes>
        <Route path="/studio/courses/:courseId" element={<CourseEditorPage />} />
      </Routes>,
      { route: `/studio/courses/${baseCourse.id}?tab=${tab}` },
    );
  }

  it("shows the saved price back in rupees", async () => {
    routes[`GET /api/courses/${baseCourse.id}`] = () => jsonResponse(200, baseCourse);
    routes['GET /api/courses/categories'] = () => jsonResponse(200, [{ name: 'Music', course_count: 1 }]);
    renderEditor();
    expect(await screen.findByRole('heading', { level: 1, name: 'Raga basics' })).toBeInTheDocument();
    expect(screen.getByLabelText(/Price/)).toHaveValue('1499.50');
    expect(screen.getByRole('tab', { name: /Details/, selected: true })).toBeInTheDocument();
  });

  it("tells another teacher they can't edit the course (can_edit false)", async () => {
    routes[`GET /api/courses/${baseCourse.id}`] = () => jsonResponse(200, { ...baseCourse, is_published: true, can_edit: false });
    renderEditor();
    expect(await screen.findByRole('heading', { level: 1, name: "You can't edit this course" })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'View the public page' })).toHaveAttribute('href', '/courses/raga-basics');
  });

  it("shows the same state for a 403 and a clear not-found state for a 404", async () => {
    routes[`GET /api/courses/${baseCourse.id}`] = () => jsonResponse(403, { code: 'not_course_owner', message: 'Only the owner.' });
    const first = renderEditor();
    expect(await screen.findByRole('heading', { level: 1, name: "You can't edit this course" })).toBeInTheDocument();
    first.unmount();
    routes[`GET /api/courses/${baseCourse.id}`] = () => jsonResponse(404, { code: 'course_not_found', message: 'No such course.' });
    renderEditor();
    expect(await screen.findByRole('heading', { level: 1, name: "We can't find this course" })).toBeInTheDocument();
  });
});

describe('LessonsTab reordering', () => {
  const lessons: Lesson[] = [
    { id: 'l1', course_id: baseCourse.id, section_title: 'Intro', position: 1, title: 'Welcome', description: '', is_free_preview: true, duration_seconds: 150 },
    { id: 'l2', course_id: baseCourse.id, section_title: 'Intro', position: 2, title: 'Setting up', description: '', is_free_preview: false, duration_seconds: 600 },
    { id: 'l3', course_id: baseCourse.id, section_title: 'Basics', position: 3, title: 'First notes', description: '', is_free_preview: false, duration_seconds: 765 },
  ];
  const titles = () => screen.getAllByTestId('lesson-title').map((el) => el.textContent);

  it('moves a lesson at once, saves the whole order, and keeps focus on the button', async () => {
    let release: (r: Response) => void = () => {};
    routes[`GET /api/courses/${baseCourse.id}/lessons`] = () => jsonResponse(200, lessons);
    routes[`PUT /api/courses/${baseCourse.id}/lessons/order`] = () => new Promise<Response>((resolve) => (release = resolve));
    const user = userEvent.setup();
    renderWithProviders(<LessonsTab courseId={baseCourse.id} />);
    expect(await screen.findAllByTestId('lesson-title')).toHaveLength(3);
    expect(screen.getByRole('button', { name: 'Move Welcome up' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Move Setting up down' }));
    // Crossed into "Basics" before the server answered.
    expect(titles()).toEqual(['Welcome', 'Setting up', 'First notes']);
    const sections = screen.getAllByTestId('lesson-section');
    expect(within(sections[1]).getAllByTestId('lesson-title').map((el) => el.textContent)).toEqual(['Setting up', 'First notes']);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Move Setting up down' })).toHaveFocus());
    expect(screen.getByTestId('lessons-announcer')).toHaveTextContent('Setting up moved down into Basics, now 1 of Basics.');

    const body = JSON.parse(String(calls('PUT', `/api/courses/${baseCourse.id}/lessons/order`)[0][1]?.body));
    expect(body).toEqual({
      lessons: [
        { id: 'l1', section_title: 'Intro' },
        { id: 'l2', section_title: 'Basics' },
        { id: 'l3', section_title: 'Basics' },
      ],
    });
    release(
      jsonResponse(200, [
        { ...lessons[0], position: 1 },
        { ...lessons[1], section_title: 'Basics', position: 2 },
        { ...lessons[2], position: 3 },
      ]),
    );
    await waitFor(() => expect(screen.queryByText('Saving order…')).not.toBeInTheDocument());
    expect(screen.getAllByTestId('lesson-section')).toHaveLength(2);
  });

  it('puts the previous order back when saving fails', async () => {
    routes[`GET /api/courses/${baseCourse.id}/lessons`] = () => jsonResponse(200, lessons);
    routes[`PUT /api/courses/${baseCourse.id}/lessons/order`] = () => jsonResponse(409, { code: 'lesson_order_mismatch', message: 'The new order must list every lesson.' });
    const user = userEvent.setup();
    renderWithProviders(<LessonsTab courseId={baseCourse.id} />);
    await screen.findAllByTestId('lesson-title');
    await user.click(screen.getByRole('button', { name: 'Move Setting up up' }));
    expect(await screen.findByText("Couldn't save the new order")).toBeInTheDocument();
    expect(titles()).toEqual(['Welcome', 'Setting up', 'First notes']);
    expect(screen.getByTestId('lessons-announcer')).toHaveTextContent('previous order is back');
  });
});
