/**
 * The only module that talks to the network.
 *
 * - Cookies carry the session (`credentials: 'include'`); this module never reads, stores or
 *   forwards a token. Token fields in response bodies are ignored by the resource modules.
 * - Every write sends `X-CSRF-TOKEN` from the `csrf_access_token` cookie (the refresh call sends
 *   `csrf_refresh_token` instead), as docs/auth-wire.md requires.
 * - A 401 triggers one refresh (shared by every request that is waiting on it) and one retry.
 * - A 403 `account_suspended` (an admin suspended the account mid-session) ends the session
 *   here, whichever request or refresh received it, so the app can say why.
 * - Every failure becomes an `ApiError` with the server's `code`, `message` and `fields`.
 */

export type FieldErrors = Record<string, string[]>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors;
  readonly requestId?: string;

  constructor(status: number, code: string, message: string, fields: FieldErrors = {}, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.requestId = requestId;
  }

  /** First message for a field, if the server named it. */
  fieldMessage(field: string): string | undefined {
    return this.fields[field]?.[0];
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: Method;
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

const REFRESH_PATH = '/api/auth/refresh';
/** Calls that establish a session themselves: a 401 from them is an answer, not an expiry. */
const NO_REFRESH_PATHS = new Set([
  '/api/auth/login',
  '/api/auth/register',
  '/api/auth/google',
  REFRESH_PATH,
]);
const WRITE_METHODS = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);

function baseUrl(): string {
  const raw = import.meta.env.VITE_API_BASE_URL ?? '';
  return raw.replace(/\/+$/, '');
}

export function readCookie(name: string): string | undefined {
  if (typeof document === 'undefined' || !document.cookie) return undefined;
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      return decodeURIComponent(part.slice(eq + 1).trim());
    }
  }
  return undefined;
}

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  let url = baseUrl() + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null || value === '') continue;
      params.set(key, String(value));
    }
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  return url;
}

const GENERIC_MESSAGES: Record<number, string> = {
  400: 'The request was not accepted.',
  401: 'Please sign in to continue.',
  403: 'You do not have permission to do that.',
  404: 'We could not find what you asked for.',
  409: 'That conflicts with something that already exists.',
  413: 'That is too large to upload.',
  422: 'Some fields are not valid.',
  429: 'Too many attempts. Please wait a moment and try again.',
};

function normaliseFields(raw: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(value)) {
      out[key] = value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    } else if (typeof value === 'string') {
      out[key] = [value];
    } else if (value && typeof value === 'object') {
      // Nested schema errors ({"items": {"0": ["..."]}}) are flattened with dotted keys.
      for (const [sub, msgs] of Object.entries(normaliseFields(value))) out[`${key}.${sub}`] = msgs;
    }
  }
  return out;
}

/** Turn any non-2xx response into an ApiError, tolerating bodies that are not JSON. */
export async function parseErrorResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const data = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const status = response.status;
  const code = typeof data.code === 'string' && data.code ? data.code : status >= 500 ? 'server_error' : `http_${status}`;
  const message =
    typeof data.message === 'string' && data.message
      ? data.message
      : (GENERIC_MESSAGES[status] ?? 'Something went wrong on our side. Please try again.');
  const requestId = typeof data.request_id === 'string' ? data.request_id : undefined;
  return new ApiError(status, code, message, normaliseFields(data.fields), requestId);
}

async function parseBody<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, 'invalid_response', 'The server sent an answer we could not read.');
  }
}

async function send(path: string, options: RequestOptions, csrfCookie: string): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (WRITE_METHODS.has(method)) {
    const csrf = readCookie(csrfCookie);
    if (csrf) headers['X-CSRF-TOKEN'] = csrf;
  }
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'include',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', "We can't reach Pathshala right now. Check your connection and try again.");
  }
}

// ---- refresh: one in flight at a time, shared by every request that got a 401 ----

let refreshInFlight: Promise<RefreshOutcome> | null = null;
/** Bumped after each successful refresh, so a 401 for a request sent before it just retries. */
let sessionGeneration = 0;
/** Why a session ended under the user: it expired or was revoked, or the account was suspended. */
export type SessionEndReason = 'expired' | 'suspended';
let onSessionExpired: ((reason: SessionEndReason) => void) | null = null;

/** The session layer registers here to be told when a refresh fails (the user is signed out). */
export function setSessionExpiredHandler(handler: ((reason: SessionEndReason) => void) | null): void {
  onSessionExpired = handler;
}

const SUSPENDED = 'account_suspended';

/** The outcome of a refresh; `error` when the server said why it refused (a suspension). */
type RefreshOutcome = { ok: true } | { ok: false; error?: ApiError };

/**
 * Tabs of one browser share the session cookies, and the server treats a refresh token used
 * twice as stolen (it ends the whole session). So refreshes are serialised across tabs with the
 * Web Locks API, and a tab that waited behind another tab's refresh just uses the new cookies.
 */
function withCrossTabLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request('pathshala-session-refresh', work) as Promise<T>) : work();
}

function refreshOnce(): Promise<RefreshOutcome> {
  if (!refreshInFlight) {
    const csrfBefore = readCookie('csrf_refresh_token');
    refreshInFlight = withCrossTabLock(async (): Promise<RefreshOutcome> => {
      try {
        if (csrfBefore !== undefined && readCookie('csrf_refresh_token') !== csrfBefore) {
          sessionGeneration += 1;
          return { ok: true };
        }
        const response = await send(REFRESH_PATH, { method: 'POST' }, 'csrf_refresh_token');
        if (response.ok) {
          // Drain the body; the new tokens arrive as cookies and the body is deliberately ignored.
          await response.text().catch(() => '');
          sessionGeneration += 1;
          return { ok: true };
        }
        const error = await parseErrorResponse(response);
        return { ok: false, error: error.code === SUSPENDED ? error : undefined };
      } catch {
        return { ok: false };
      }
    }).finally(() => {
      refreshInFlight = null;
    });
  }
  return refreshInFlight;
}

export async function refreshSession(): Promise<boolean> {
  return (await refreshOnce()).ok;
}

/**
 * 401 codes that mean "your session cookie is missing, expired or revoked". Any other 401
 * (e.g. `invalid_credentials` for a wrong current password) is an answer to show, not a reason
 * to refresh or to sign the user out.
 */
const SESSION_401_CODES = new Set([
  'not_authenticated',
  'token_expired',
  'token_revoked',
  'invalid_token',
  'csrf_failed',
  'http_401',
]);

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const generationAtStart = sessionGeneration;
  let response = await send(path, options, 'csrf_access_token');

  if (response.status === 401 && !NO_REFRESH_PATHS.has(path)) {
    const first = await parseErrorResponse(response);
    if (!SESSION_401_CODES.has(first.code)) throw first;
    // A refresh finished while this request was on the wire: its cookies are already new.
    const refreshed: RefreshOutcome = sessionGeneration !== generationAtStart ? { ok: true } : await refreshOnce();
    if (!refreshed.ok) {
      onSessionExpired?.(refreshed.error ? 'suspended' : 'expired');
      throw refreshed.error ?? first;
    }
    response = await send(path, options, 'csrf_access_token');
    if (response.status === 401) {
      const second = await parseErrorResponse(response);
      if (SESSION_401_CODES.has(second.code)) onSessionExpired?.('expired');
      throw second;
    }
  }

  if (!response.ok) {
    const error = await parseErrorResponse(response);
    // Signing in as a suspended account is an answer for the form, not the end of a session.
    if (error.code === SUSPENDED && !NO_REFRESH_PATHS.has(path)) onSessionExpired?.('suspended');
    throw error;
  }
  return parseBody<T>(response);
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    apiRequest<T>(path, { method: 'GET', query, signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  delete: <T>(path: string) => apiRequest<T>(path, { method: 'DELETE' }),
};

/** Test hook: forget any refresh state between tests. */
export function __resetClientStateForTests(): void {
  refreshInFlight = null;
  sessionGeneration = 0;
  onSessionExpired = null;
}
