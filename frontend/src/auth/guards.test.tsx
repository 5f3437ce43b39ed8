import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { __resetClientStateForTests } from '../api/client';
import type { Role } from '../api/types';
import { jsonResponse, renderWithProviders, sampleUser } from '../test/render';
import { RequireAuth, RequireRole } from './guards';

function LoginProbe() {
  const location = useLocation();
  return <p>Login page {location.search}</p>;
}

function renderAdminRoute(route = '/admin/users') {
  return renderWithProviders(
    <Routes>
      <Route path="/login" element={<LoginProbe />} />
      <Route element={<RequireAuth />}>
        <Route path="/home" element={<p>Home</p>} />
        <Route path="/admin" element={<RequireRole roles={['admin']} />}>
          <Route path="users" element={<p>Admin users page</p>} />
        </Route>
        <Route path="/authors" element={<RequireRole roles={['teacher', 'instructor']}><p>Author area</p></RequireRole>} />
      </Route>
    </Routes>,
    { route },
  );
}

function signedInAs(role: Role | null) {
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input) => {
      const url = String(input);
      if (url === '/api/auth/me' && role) return jsonResponse(200, { ...sampleUser, role });
      return jsonResponse(401, { code: 'not_authenticated', message: 'Sign in.' });
    }),
  );
}

describe('RequireRole', () => {
  beforeEach(() => __resetClientStateForTests());
  afterEach(() => vi.unstubAllGlobals());

  it('lets an admin through', async () => {
    signedInAs('admin');
    renderAdminRoute();
    expect(await screen.findByText('Admin users page')).toBeInTheDocument();
  });

  it.each(['student', 'teacher', 'instructor'] as const)('shows a 403 page to a %s', async (role) => {
    signedInAs(role);
    renderAdminRoute();
    expect(await screen.findByTestId('forbidden-page')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent("You don't have access to this page");
    expect(screen.queryByText('Admin users page')).not.toBeInTheDocument();
  });

  it('accepts any of several roles', async () => {
    signedInAs('instructor');
    renderAdminRoute('/authors');
    expect(await screen.findByText('Author area')).toBeInTheDocument();
  });

  it('sends an anonymous visitor to log in, remembering where they were going', async () => {
    signedInAs(null);
    renderAdminRoute('/admin/users?page=2');
    expect(await screen.findByText(/Login page/)).toHaveTextContent(`?next=${encodeURIComponent('/admin/users?page=2')}`);
  });
});
