import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as authApi from './auth';
import { __resetClientStateForTests, api, ApiError, setSessionExpiredHandler } from './client';
import { jsonResponse, sampleUser } from '../test/render';

type FetchMock = ReturnType<typeof vi.fn<typeof fetch>>;

function setCookie(name: string, value: string) {
  document.cookie = `${name}=${encodeURIComponent(value)}; path=/`;
}

function headersOf(call: Parameters<typeof fetch>): Record<string, string> {
  return (call[1]?.headers ?? {}) as Record<string, string>;
}

function urlOf(call: Parameters<typeof fetch>): string {
  return String(call[0]);
}

let fetchMock: FetchMock;

beforeEach(() => {
  __resetClientStateForTests();
  fetchMock = vi.fn<typeof fetch>();
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe('requests', () => {
  it('sends cookies and JSON, and no CSRF header on reads', async () => {
    setCookie('csrf_access_token', 'access-csrf');
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { ok: true }));
    await expect(api.get('/api/things', { q: 'x y', page: 2, empty: '' })).resolves.toEqual({ ok: true });
    const call = fetchMock.mock.calls[0];
    expect(urlOf(call)).toBe('/api/things?q=x+y&page=2');
    expect(call[1]?.credentials).toBe('include');
    expect(call[1]?.method).toBe('GET');
    expect(headersOf(call)['X-CSRF-TOKEN']).toBeUndefined();
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'] as const)('adds X-CSRF-TOKEN from csrf_access_token on %s', async (method) => {
    setCookie('csrf_access_token', 'access-csrf-value');
    setCookie('csrf_refresh_token', 'refresh-csrf-value');
    fetchMock.mockResolvedValueOnce(jsonResponse(200, {}));
    const send = { POST: api.post, PUT: api.put, PATCH: api.patch, DELETE: api.delete }[method];
    await send('/api/things', method === 'DELETE' ? undefined : { a: 1 });
    const call = fetchMock.mock.calls[0];
    expect(call[1]?.method).toBe(method);
    expect(headersOf(call)['X-CSRF-TOKEN']).toBe('access-csrf-value');
    if (method !== 'DELETE') {
      expect(headersOf(call)['Content-Type']).toBe('application/json');
      expect(call[1]?.body).toBe(JSON.stringify({ a: 1 }));
    }
  });

  it('prefixes VITE_API_BASE_URL', async () => {
    vi.stubEnv('VITE_API_BASE_URL', 'https://api.example.test/');
    fetchMock.mockResolvedValueOnce(jsonResponse(200, {}));
    await api.get('/api/config');
    expect(urlOf(fetchMock.mock.calls[0])).toBe('https://api.example.test/api/config');
  });

  it('returns undefined for an empty 204 answer', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    await expect(api.delete('/api/things/1')).resolves.toBeUndefined();
  });
});

describe('refresh on 401', () => {
  it('refreshes with csrf_refresh_token, then retries the request once', async () => {
    setCookie('csrf_access_token', 'old-access-csrf');
    setCookie('csrf_refresh_token', 'refresh-csrf');
    fetchMock
      .mockResolvedValueOnce(jsonResponse(401, { code: 'token_expired', message: 'Token has expired.' }))
      .mockImplementationOnce(async () => {
        setCookie('csrf_access_token', 'new-access-csrf');
        return jsonResponse(200, { access_token: 'a', refresh_token: 'r' });
      })
      .mockResolvedValueOnce(jsonResponse(200, { saved: true }));

    await expect(api.post('/api/things', { a: 1 })).resolves.toEqual({ saved: true });

    expect(fetchMock).toHaveBeenCalledTimes(3);
    const [first, refresh, retry] = fetchMock.mock.calls;
    expect(urlOf(first)).toBe('/api/things');
    expect(urlOf(refresh)).toBe('/api/auth/refresh');
    expect(refresh[1]?.method).toBe('POST');
    expect(headersOf(refresh)['X-CSRF-TOKEN']).toBe('refresh-csrf');
    expect(urlOf(retry)).toBe('/api/things');
    expect(headersOf(retry)['X-CSRF-TOKEN']).toBe('new-access-csrf');
  });

  it('does not spend the refresh token again when another tab refreshed while this one waited', async () => {
    setCookie('csrf_access_token', 'old-access-csrf');
    setCookie('csrf_refresh_token', 'refresh-csrf-1');
    // Another tab holds the refresh lock; it rotates the (shared) cookies, then lets go.
    let releaseOtherTab!: () => void;
    const otherTab = new Promise<void>((resolve) => (releaseOtherTab = resolve));
    const queue: Promise<unknown>[] = [otherTab];
    vi.stubGlobal('navigator', {
      ...navigator,
      locks: {
        request: (_name: string, work: () => Promise<unknown>) => {
          const turn = Promise.all(queue).then(work);
          queue.push(turn.catch(() => undefined));
          return turn;
        },
      },
    });
    fetchMock
      .mockResolvedValueOnce(jsonResponse(401, { code: 'token_expired', message: 'Token has expired.' }))
      .mockResolvedValueOnce(jsonResponse(200, { saved: true }));

    const request = api.post('/api/things', { a: 1 });
    await vi.waitFor(() => expect(queue).toHaveLength(2)); // this tab now waits for the lock
    setCookie('csrf_refresh_token', 'refresh-csrf-2');
    setCookie('csrf_access_token', 'new-access-csrf');
    releaseOtherTab();

    await expect(request).resolves.toEqual({ saved: true });
    expect(fetchMock.mock.calls.map(urlOf)).toEqual(['/api/things', '/api/things']);
    expect(headersOf(fetchMock.mock.calls[1])['X-CSRF-TOKEN']).toBe('new-access-csrf');
  });

  it('shares a single refresh between concurrent requests', async () => {
    let releaseRefresh!: () => void;
    const refreshGate = new Promise<void>((resolve) => (releaseRefresh = resolve));
    let refreshed = false;
    fetchMock.mockImplementation(async (input) => {
      const url = String(input);
      if (url === '/api/auth/refresh') {
        await refreshGate;
        refreshed = true;
        return jsonResponse(200, {});
      }
      if (!refreshed) return jsonResponse(401, { code: 'token_expired', message: 'expired' });
      return jsonResponse(200, { url });
    });

    const results = Promise.all([api.get('/api/a'), api.get('/api/b'), api.post('/api/c', {})]);
    await vi.waitFor(() => expect(fetchMock.mock.calls.filter((c) => urlOf(c) === '/api/auth/refresh')).toHaveLength(1));
    releaseRefresh();

    await expect(results).resolves.toEqual([{ url: '/api/a' }, { url: '/api/b' }, { url: '/api/c' }]);
    expect(fetchMock.mock.calls.filter((c) => urlOf(c) === '/api/auth/refresh')).toHaveLength(1);
    expect(fetchMock).toHaveBeenCalledTimes(7); // 3 first tries + 1 refresh + 3 retries
  });

  it('does not refresh again for a 401 that answers a request sent before a finished refresh', async () => {
    let refreshed = false;
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    let slowCalls = 0;
    fetchMock.mockImplementation(async (input) => {
      const url = String(input);
      if (url === '/api/auth/refresh') {
        refreshed = true;
        return jsonResponse(200, {});
      }
      if (url === '/api/slow' && slowCalls++ === 0) {
        await slowGate; // sent with the old cookie, answers after the refresh
        return jsonResponse(401, { code: 'token_expired', message: 'expired' });
      }
      return refreshed ? jsonResponse(200, { url }) : jsonResponse(401, { code: 'token_expired', message: 'expired' });
    });

    const slow = api.get('/api/slow');
    await expect(api.get('/api/fast')).resolves.toEqual({ url: '/api/fast' });
    releaseSlow();
    await expect(slow).resolves.toEqual({ url: '/api/slow' });
    expect(fetchMock.mock.calls.filter((c) => urlOf(c) === '/api/auth/refresh')).toHaveLength(1);
  });

  it('signs out and throws the original error when the refresh fails', async () => {
    const expired = vi.fn();
    setSessionExpiredHandler(expired);
    fetchMock
      .mockResolvedValueOnce(jsonResponse(401, { code: 'not_authenticated', message: 'Sign in first.' }))
      .mockResolvedValueOnce(jsonResponse(401, { code: 'token_revoked', message: 'Revoked.' }));

    const error = await api.get('/api/auth/me').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'not_authenticated' });
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(expired).toHaveBeenCalledWith('expired');
  });

  it.each(['/api/auth/login', '/api/auth/register', '/api/auth/google', '/api/auth/refresh'])(
    'never refreshes for a 401 from %s',
    async (path) => {
      fetchMock.mockResolvedValueOnce(jsonResponse(401, { code: 'invalid_credentials', message: 'Wrong email or password.' }));
      await expect(api.post(path, {})).rejects.toMatchObject({ status: 401, code: 'invalid_credentials' });
      expect(fetchMock).toHaveBeenCalledTimes(1);
    },
  );

  it('treats a 401 that is not about the session (wrong current password) as an answer', async () => {
    const expired = vi.fn();
    setSessionExpiredHandler(expired);
    fetchMock.mockResolvedValueOnce(jsonResponse(401, { code: 'invalid_credentials', message: 'Wrong password.' }));
    await expect(api.post('/api/auth/change-password', {})).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(expired).not.toHaveBeenCalled();
  });
});

describe('a suspended account', () => {
  const suspended = { code: 'account_suspended', message: 'This account is suspended.' };

  it('ends the session when any request answers 403 account_suspended', async () => {
    const ended = vi.fn();
    setSessionExpiredHandler(ended);
    fetchMock.mockResolvedValueOnce(jsonResponse(403, suspended));

    await expect(api.get('/api/me/courses')).rejects.toMatchObject({ status: 403, code: 'account_suspended' });
    expect(ended).toHaveBeenCalledWith('suspended');
  });

  it('ends the session as suspended when the refresh says so, and throws that answer', async () => {
    const ended = vi.fn();
    setSessionExpiredHandler(ended);
    fetchMock
      .mockResolvedValueOnce(jsonResponse(401, { code: 'token_expired', message: 'Expired.' }))
      .mockResolvedValueOnce(jsonResponse(403, suspended));

    await expect(api.get('/api/me/courses')).rejects.toMatchObject({ status: 403, code: 'account_suspended' });
    expect(fetchMock.mock.calls.map(urlOf)).toEqual(['/api/me/courses', '/api/auth/refresh']);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(ended).toHaveBeenCalledWith('suspended');
  });

  it('leaves a refused sign-in to the login form', async () => {
    const ended = vi.fn();
    setSessionExpiredHandler(ended);
    fetchMock.mockResolvedValueOnce(jsonResponse(403, suspended));

    await expect(api.post('/api/auth/login', {})).rejects.toMatchObject({ code: 'account_suspended' });
    expect(ended).not.toHaveBeenCalled();
  });

  it('still reports other refusals (a plain 403) as answers, not as the end of the session', async () => {
    const ended = vi.fn();
    setSessionExpiredHandler(ended);
    fetchMock.mockResolvedValueOnce(jsonResponse(403, { code: 'forbidden', message: 'No.' }));

    await expect(api.get('/api/admin/users')).rejects.toMatchObject({ code: 'forbidden' });
    expect(ended).not.toHaveBeenCalled();
  });
});

describe('ApiError parsing', () => {
  it('keeps status, code, message and fields from the error body', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(422, {
        code: 'invalid_input',
        message: 'Some fields are not valid.',
        fields: { email: ['Not a valid email address.'], password: 'Too short.' },
        request_id: 'req-1',
      }),
    );
    const error = (await api.post('/api/auth/register', {}).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('Some fields are not valid.');
    expect(error.fields).toEqual({ email: ['Not a valid email address.'], password: ['Too short.'] });
    expect(error.fieldMessage('email')).toBe('Not a valid email address.');
    expect(error.requestId).toBe('req-1');
  });

  it('copes with a body that is not JSON', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(api.get('/api/config')).rejects.toMatchObject({ status: 502, code: 'server_error', fields: {} });
  });

  it('gives a rate-limit sentence when the 429 body is empty', async () => {
    fetchMock.mockResolvedValueOnce(new Response('', { status: 429 }));
    const error = (await api.post('/api/auth/login', {}).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/too many/i);
  });

  it('turns a network failure into a network_error', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(api.get('/api/config')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});

describe('tokens stay out of JavaScript', () => {
  it('never touches web storage and returns only the user from login', async () => {
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    const getItem = vi.spyOn(Storage.prototype, 'getItem');
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { access_token: 'secret-a', refresh_token: 'secret-r', user: sampleUser }));

    const user = await authApi.login({ email: sampleUser.email, password: 'correct horse' });

    expect(user).toEqual(sampleUser);
    expect(JSON.stringify(user)).not.toContain('secret-');
    expect(setItem).not.toHaveBeenCalled();
    expect(getItem).not.toHaveBeenCalled();
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
    expect(headersOf(fetchMock.mock.calls[0]).Authorization).toBeUndefined();
  });
});
