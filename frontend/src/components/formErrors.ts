import { isApiError } from '../api/client';

/** Sentences for error codes whose server message is not what we want to show in a form. */
const FORM_MESSAGES: Record<string, string> = {
  invalid_credentials: 'That email and password combination is not right.',
  account_suspended: 'This account is suspended. Contact the Pathshala team if you think this is a mistake.',
  rate_limited: 'Too many attempts. Please wait a minute and try again.',
  csrf_failed: 'Your session needs refreshing. Reload the page and try again.',
  role_not_allowed: 'That role cannot be chosen when signing up.',
  network_error: "We can't reach Pathshala right now. Check your connection and try again.",
};

/** The part of a @mantine/form form this helper needs. */
export interface FormLike {
  getValues(): object;
  setFieldError(path: string, error: string): void;
}

export interface ServerErrorOptions {
  /** Map server field names to form field names (e.g. new_password -> password). */
  fieldMap?: Record<string, string>;
  /** Codes whose message belongs on a field rather than in the form alert. */
  codeFields?: Record<string, { field: string; message: string }>;
}

/**
 * Put a failed request's errors where a person will see them: field errors on the fields
 * (422 `fields`, or a code mapped to a field such as 409 `email_taken`), everything else
 * returned as the sentence for the form-level alert (null if nothing is left for it).
 */
export function applyServerErrors(
  form: FormLike,
  error: unknown,
  options: ServerErrorOptions = {},
): string | null {
  if (!isApiError(error)) return 'Something went wrong. Please try again.';
  const formFields = Object.keys(form.getValues());
  const mapped = options.codeFields?.[error.code];
  if (mapped && formFields.includes(mapped.field)) {
    form.setFieldError(mapped.field, mapped.message);
    return null;
  }
  const leftover: string[] = [];
  let placed = 0;
  for (const [serverField, messages] of Object.entries(error.fields)) {
    const field = options.fieldMap?.[serverField] ?? serverField;
    if (formFields.includes(field)) {
      form.setFieldError(field, messages.join(' '));
      placed += 1;
    } else {
      leftover.push(...messages);
    }
  }
  if (placed > 0 && leftover.length === 0) return null;
  if (leftover.length > 0) return leftover.join(' ');
  return describeError(error);
}

/** The sentence to show for a failed request that has no form field to attach to. */
export function describeError(error: unknown): string {
  if (!isApiError(error)) return 'Something went wrong. Please try again.';
  return FORM_MESSAGES[error.code] ?? (error.status === 429 ? FORM_MESSAGES.rate_limited : error.message);
}
