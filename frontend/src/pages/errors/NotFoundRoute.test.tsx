import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import { __resetClientStateForTests } from '../../api/client';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { NotFoundRoute } from './NotFoundPage';

describe('NotFoundRoute while the server is down', () => {
  beforeEach(() => __resetClientStateForTests());
  afterEach(() => vi.unstubAllGlobals());

  it('shows the page in the public layout and asks for the session once, not in a loop', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () =>
      jsonResponse(503, { code: 'service_unavailable', message: 'The service is down.' }),
    );
    vi.stubGlobal('fetch', fetchMock);

    renderWithProviders(<NotFoundRoute />, { route: '/nowhere' });

    expect(await screen.findByRole('heading', { name: "We can't find that page" })).toBeInTheDocument();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sessionCalls = fetchMock.mock.calls.filter(([input]) => String(input).endsWith('/api/auth/me'));
    expect(sessionCalls).toHaveLength(1);
    expect(screen.getByRole('heading', { name: "We can't find that page" })).toBeInTheDocument();
  });
});
