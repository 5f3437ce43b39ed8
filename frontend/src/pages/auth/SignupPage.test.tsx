import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { __resetClientStateForTests } from '../../api/client';
import { jsonResponse, renderWithProviders, sampleUser } from '../../test/render';
import { SignupPage, validateSignup } from './SignupPage';

describe('validateSignup', () => {
  const valid = { name: 'Asha Rao', email: 'asha@example.com', password: 'longenough1', role: 'student' as const };

  it('accepts a complete form', () => {
    expect(validateSignup(valid)).toEqual({});
  });

  it('requires a name, a valid email and a password of at least 8 characters', () => {
    expect(validateSignup({ ...valid, name: '  ' }).name).toBe('Enter your name');
    expect(validateSignup({ ...valid, email: '' }).email).toBe('Enter your email address');
    expect(validateSignup({ ...valid, email: 'asha@' }).email).toBe('Enter a valid email address');
    expect(validateSignup({ ...valid, password: '' }).password).toBe('Choose a password');
    expect(validateSignup({ ...valid, password: 'short12' }).password).toBe('Use at least 8 characters');
    expect(validateSignup({ ...valid, password: '12345678' }).password).toBeUndefined();
  });

  it('only offers student and teacher', () => {
    expect(validateSignup({ ...valid, role: 'admin' as never }).role).toBeDefined();
    expect(validateSignup({ ...valid, role: 'teacher' }).role).toBeUndefined();
  });
});

describe('SignupPage', () => {
  let fetchMock: ReturnType<typeof vi.fn<typeof fetch>>;

  beforeEach(() => {
    __resetClientStateForTests();
    fetchMock = vi.fn<typeof fetch>(async (input) => {
      const url = String(input);
      if (url === '/api/auth/me') return jsonResponse(401, { code: 'not_authenticated', message: 'Sign in.' });
      if (url === '/api/auth/refresh') return jsonResponse(401, { code: 'not_authenticated', message: 'Sign in.' });
      return jsonResponse(500, {});
    });
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  function renderPage() {
    return renderWithProviders(
      <Routes>
        <Route path="/signup" element={<SignupPage />} />
        <Route path="/home" element={<p>Signed-in home</p>} />
      </Routes>,
      { route: '/signup' },
    );
  }

  const registerCalls = () => fetchMock.mock.calls.filter((c) => String(c[0]) === '/api/auth/register');

  it('shows field errors and sends nothing while the form is invalid', async () => {
    const user = userEvent.setup();
    renderPage();
    await user.type(screen.getByLabelText(/email/i), 'not-an-email');
    await user.type(screen.getByLabelText(/^password/i), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByText('Enter your name')).toBeInTheDocument();
    expect(screen.getByText('Enter a valid email address')).toBeInTheDocument();
    expect(screen.getByText('Use at least 8 characters')).toBeInTheDocument();
    expect(registerCalls()).toHaveLength(0);
  });

  it('shows a password strength hint', async () => {
    const user = userEvent.setup();
    renderPage();
    expect(screen.getByText('Strength: —')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^password/i), 'abc');
    expect(screen.getByText('Strength: Too short')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^password/i), 'DEF123!?xyz');
    expect(screen.getByText('Strength: Strong')).toBeInTheDocument();
  });

  it('registers with the chosen role and goes home', async () => {
    fetchMock.mockImplementation(async (input) => {
      const url = String(input);
      if (url === '/api/auth/register') {
        return jsonResponse(201, { access_token: 'a', refresh_token: 'r', user: { ...sampleUser, role: 'teacher' } });
      }
      return jsonResponse(401, { code: 'not_authenticated', message: 'Sign in.' });
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(screen.getByRole('radio', { name: /I want to teach/ }));
    await user.type(screen.getByLabelText(/full name/i), 'Asha Rao');
    await user.type(screen.getByLabelText(/email/i), 'asha@example.com');
    await user.type(screen.getByLabelText(/^password/i), 'a-good-passphrase');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByText('Signed-in home')).toBeInTheDocument();
    const [call] = registerCalls();
    expect(JSON.parse(String(call[1]?.body))).toEqual({
      name: 'Asha Rao',
      email: 'asha@example.com',
      password: 'a-good-passphrase',
      role: 'teacher',
    });
  });

  it('puts server errors on the fields: 409 email_taken and 422 fields', async () => {
    let answer = jsonResponse(409, { code: 'email_taken', message: 'That email is already registered.' });
    fetchMock.mockImplementation(async (input) => {
      if (String(input) === '/api/auth/register') return answer;
      return jsonResponse(401, { code: 'not_authenticated', message: 'Sign in.' });
    });
    const user = userEvent.setup();
    renderPage();
    await user.type(screen.getByLabelText(/full name/i), 'Asha Rao');
    await user.type(screen.getByLabelText(/email/i), 'asha@example.com');
    await user.type(screen.getByLabelText(/^password/i), 'password1');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText(/An account with this email already exists/)).toBeInTheDocument();
    expect(screen.getByLabelText(/email/i)).toHaveAttribute('aria-invalid', 'true');

    answer = jsonResponse(422, {
      code: 'weak_password',
      message: 'Choose a stronger password.',
      fields: { password: ['This password is too common.'] },
    });
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('This password is too common.')).toBeInTheDocument();
  });

  it('shows a form-level alert for errors that belong to no field', async () => {
    fetchMock.mockImplementation(async (input) => {
      if (String(input) === '/api/auth/register') return jsonResponse(429, { code: 'rate_limited', message: 'Slow down.' });
      return jsonResponse(401, { code: 'not_authenticated', message: 'Sign in.' });
    });
    const user = userEvent.setup();
    renderPage();
    await user.type(screen.getByLabelText(/full name/i), 'Asha Rao');
    await user.type(screen.getByLabelText(/email/i), 'asha@example.com');
    await user.type(screen.getByLabelText(/^password/i), 'password1');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/too many attempts/i);
  });

  it('has no Google button without VITE_GOOGLE_CLIENT_ID', async () => {
    renderPage();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Create account' })).toBeInTheDocument());
    expect(screen.queryByTestId('google-sign-in')).not.toBeInTheDocument();
  });
});
