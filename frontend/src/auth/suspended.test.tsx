import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import { useQuery } from '@tanstack/react-query';
import { Route, Routes } from 'react-router-dom';
import { __resetClientStateForTests, api } from '../api/client';
import { LoginPage } from '../pages/auth/LoginPage';
import { jsonResponse, renderWithProviders, sampleUser } from '../test/render';
import { RequireAuth } from './guards';

const SUSPENDED = { code: 'account_suspended', message: 'This account is suspended.' };

function MyCourses() {
  const query = useQuery({ queryKey: ['my-courses'], queryFn: () => api.get<{ items: unknown[] }>('/api/me/courses') });
  return <p>{query.data ? 'My courses' : 'Loading courses'}</p>;
}

function renderSignedIn(courses: () => Response, refresh: () => Response = () => jsonResponse(401, { code: 'token_revoked', message: 'x' })) {
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input) => {
      const url = String(input);
      if (url === '/api/auth/me') return jsonResponse(200, sampleUser);
      if (url === '/api/me/courses') return courses();
      if (url === '/api/auth/refresh') return refresh();
      return jsonResponse(404, { code: 'not_found', message: url });
    }),
  );
  return renderWithProviders(
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireAuth />}>
        <Route path="/learn" element={<MyCourses />} />
      </Route>
    </Routes>,
    { route: '/learn' },
  );
}

describe('an account suspended mid-session', () => {
  beforeEach(() => __resetClientStateForTests());
  afterEach(() => vi.unstubAllGlobals());

  it('lands on the login page that says the account is suspended', async () => {
    renderSignedIn(() => jsonResponse(403, SUSPENDED));

    const notice = await screen.findByRole('alert');
    expect(notice).toHaveTextContent('This account is suspended');
    expect(screen.getByRole('heading', { name: 'Log in to Pathshala' })).toBeInTheDocument();
    expect(screen.queryByText('My courses')).not.toBeInTheDocument();
  });

  it('also when it is the refresh of an expired token that is refused', async () => {
    renderSignedIn(
      () => jsonResponse(401, { code: 'token_expired', message: 'Expired.' }),
      () => jsonResponse(403, SUSPENDED),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent('This account is suspended');
  });

  it('an ordinary end of session still reads as one', async () => {
    renderSignedIn(() => jsonResponse(401, { code: 'token_revoked', message: 'Revoked.' }));

    expect(await screen.findByRole('heading', { name: 'Log in to Pathshala' })).toBeInTheDocument();
    expect(screen.queryByText(/suspended/)).not.toBeInTheDocument();
  });
});
