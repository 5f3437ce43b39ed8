import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import { __resetClientStateForTests } from '../../api/client';
import type { CourseCard } from '../../api/courses';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { CatalogPage } from './CatalogPage';

const course: CourseCard = {
  id: '0b9d3c1e-7a55-4b57-9a61-6f4e2f0c1a11',
  slug: 'watercolour-basics',
  title: 'Watercolour basics',
  subtitle: 'Paint loose, bright landscapes',
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
  instructor_id: 'a0000000-0000-4000-8000-000000000001',
  instructor: { id: 'a0000000-0000-4000-8000-000000000001', name: 'Ila Sen' },
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  lesson_count: 3,
  total_duration_seconds: 1500,
};

function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.search}</output>;
}

describe('CatalogPage', () => {
  let fetchMock: ReturnType<typeof vi.fn<typeof fetch>>;
  let catalogAnswer: () => Response;

  beforeEach(() => {
    __resetClientStateForTests();
    catalogAnswer = () => jsonResponse(200, { items: [course], total: 1, page: 1, per_page: 12 });
    fetchMock = vi.fn<typeof fetch>(async (input) => {
      const url = new URL(String(input), 'http://localhost');
      if (url.pathname === '/api/courses/categories') return jsonResponse(200, [{ name: 'Art', course_count: 1 }]);
      if (url.pathname === '/api/courses') return catalogAnswer();
      return jsonResponse(401, { code: 'not_authenticated', message: 'Sign in.' });
    });
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  function renderAt(route: string) {
    return renderWithProviders(
      <Routes>
        <Route
          path="/courses"
          element={
            <>
              <CatalogPage />
              <LocationProbe />
            </>
          }
        />
      </Routes>,
      { route },
    );
  }

  /** The query strings of every catalog request so far. */
  const catalogQueries = () =>
    fetchMock.mock.calls
      .map((call) => new URL(String(call[0]), 'http://localhost'))
      .filter((url) => url.pathname === '/api/courses')
      .map((url) => Object.fromEntries(url.searchParams));

  it('reads the filters from the URL into the controls and the request', async () => {
    renderAt('/courses?q=paint&category=Art&level=beginner&price=free&sort=title&page=2');
    expect(await screen.findByRole('heading', { name: 'Watercolour basics' })).toBeInTheDocument();

    expect(screen.getByRole('textbox', { name: 'Search courses' })).toHaveValue('paint');
    expect(screen.getByRole('combobox', { name: 'Level' })).toHaveValue('beginner');
    expect(screen.getByRole('combobox', { name: 'Price' })).toHaveValue('free');
    expect(screen.getByRole('combobox', { name: 'Sort by' })).toHaveValue('title');
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Category' })).toHaveValue('Art'));
    expect(catalogQueries()).toContainEqual({
      q: 'paint',
      category: 'Art',
      level: 'beginner',
      price: 'free',
      sort: 'title',
      page: '2',
      per_page: '12',
    });
    expect(screen.getByTestId('course-price')).toHaveTextContent('Free');
    expect(screen.getByRole('link', { name: 'Watercolour basics' })).toHaveAttribute('href', '/courses/watercolour-basics');
  });

  it('writes a changed filter to the URL and starts again from page 1', async () => {
    const user = userEvent.setup();
    renderAt('/courses?level=beginner&page=3');
    await screen.findByRole('heading', { name: 'Watercolour basics' });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Price' }), 'paid');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('?level=beginner&price=paid'));
    await waitFor(() => expect(catalogQueries()).toContainEqual({ level: 'beginner', price: 'paid', page: '1', per_page: '12' }));
  });

  it('debounces typing into the URL', async () => {
    const user = userEvent.setup();
    renderAt('/courses');
    await screen.findByRole('heading', { name: 'Watercolour basics' });

    await user.type(screen.getByRole('textbox', { name: 'Search courses' }), 'water');
    // Not one request per keystroke: the URL (and the request) follow once typing pauses.
    expect(screen.getByTestId('location')).toHaveTextContent(/^$/);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('?q=water'));
    await waitFor(() => expect(catalogQueries().filter((q) => q.q)).toEqual([{ q: 'water', page: '1', per_page: '12' }]));
  });

  it('offers to clear filters when nothing matches', async () => {
    catalogAnswer = () => jsonResponse(200, { items: [], total: 0, page: 1, per_page: 12 });
    const user = userEvent.setup();
    renderAt('/courses?q=quantum&price=paid');
    expect(await screen.findByRole('heading', { name: 'No courses match “quantum”' })).toBeInTheDocument();

    catalogAnswer = () => jsonResponse(200, { items: [course], total: 1, page: 1, per_page: 12 });
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^$/));
    expect(await screen.findByRole('heading', { name: 'Watercolour basics' })).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Search courses' })).toHaveValue('');
  });

  it('shows an error with a retry', async () => {
    catalogAnswer = () => jsonResponse(503, { code: 'unavailable', message: 'The catalog is resting.' });
    const user = userEvent.setup();
    renderAt('/courses');
    expect(await screen.findByText('The catalog is resting.')).toBeInTheDocument();
    catalogAnswer = () => jsonResponse(200, { items: [course], total: 1, page: 1, per_page: 12 });
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Watercolour basics' })).toBeInTheDocument();
  });
});
