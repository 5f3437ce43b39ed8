export const MIN_PASSWORD_LENGTH = 8;

export interface StrengthCheck {
  label: string;
  met: boolean;
}

export interface PasswordStrength {
  score: number; // 0..100
  label: 'Too short' | 'Weak' | 'Fair' | 'Good' | 'Strong';
  color: string;
  checks: StrengthCheck[];
}

/** A hint, not a rule: the only hard rule is the minimum length (the server also refuses common passwords). */
export function passwordStrength(password: string): PasswordStrength {
  const checks: StrengthCheck[] = [
    { label: `At least ${MIN_PASSWORD_LENGTH} characters`, met: password.length >= MIN_PASSWORD_LENGTH },
    { label: 'Upper and lower case letters', met: /[a-z]/.test(password) && /[A-Z]/.test(password) },
    { label: 'A number', met: /\d/.test(password) },
    { label: 'A symbol', met: /[^A-Za-z0-9]/.test(password) },
  ];
  if (password.length < MIN_PASSWORD_LENGTH) {
    return { score: Math.min(20, password.length * 2.5), label: 'Too short', color: 'red', checks };
  }
  let points = checks.filter((c) => c.met).length; // 1..4
  if (password.length >= 12) points += 1;
  if (password.length >= 16) points += 1;
  const score = Math.min(100, 20 + points * 14);
  if (points <= 1) return { score, label: 'Weak', color: 'red', checks };
  if (points <= 2) return { score, label: 'Fair', color: 'orange', checks };
  if (points <= 3) return { score, label: 'Good', color: 'teal', checks };
  return { score: Math.max(score, 90), label: 'Strong', color: 'green', checks };
}

export function validateNewPassword(value: string): string | null {
  if (!value) return 'Choose a password';
  if (value.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters`;
  if (value.length > 128) return 'Use at most 128 characters';
  return null;
}
