import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { applyServerErrors, describeError } from './formErrors';

function fakeForm(values: object) {
  const errors: Record<string, string> = {};
  return { errors, getValues: () => values, setFieldError: (path: string, error: string) => (errors[path] = error) };
}

describe('applyServerErrors', () => {
  it('puts 422 field messages on matching fields and maps server names', () => {
    const form = fakeForm({ password: '', confirm: '' });
    const error = new ApiError(422, 'weak_password', 'Too weak.', { new_password: ['Too common.'] });
    expect(applyServerErrors(form, error, { fieldMap: { new_password: 'password' } })).toBeNull();
    expect(form.errors).toEqual({ password: 'Too common.' });
  });

  it('returns messages for fields the form does not have', () => {
    const form = fakeForm({ email: '' });
    const error = new ApiError(422, 'invalid_input', 'Bad.', { role: ['Not allowed.'] });
    expect(applyServerErrors(form, error)).toBe('Not allowed.');
  });

  it('maps a code onto a field', () => {
    const form = fakeForm({ email: '' });
    const error = new ApiError(409, 'email_taken', 'Taken.');
    expect(applyServerErrors(form, error, { codeFields: { email_taken: { field: 'email', message: 'In use' } } })).toBeNull();
    expect(form.errors.email).toBe('In use');
  });

  it('words the common auth failures for people', () => {
    expect(describeError(new ApiError(401, 'invalid_credentials', 'x'))).toMatch(/email and password/);
    expect(describeError(new ApiError(403, 'account_suspended', 'x'))).toMatch(/This account is suspended/);
    expect(describeError(new ApiError(429, 'something', 'x'))).toMatch(/Too many attempts/);
    expect(describeError(new ApiError(400, 'google_sign_in_failed', 'Google said no.'))).toBe('Google said no.');
  });
});
