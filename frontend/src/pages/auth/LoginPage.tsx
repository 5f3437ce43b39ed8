import { useState } from 'react';
import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconCircleCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import * as authApi from '../../api/auth';
import { safeNext } from '../../auth/roles';
import { useSetSessionUser } from '../../auth/session';
import { applyServerErrors, describeError } from '../../components/formErrors';
import { GoogleSignInButton } from '../../components/GoogleSignInButton';
import { AuthCard } from '../../components/PublicLayout';
import { usePageTitle } from '../../components/usePageTitle';
import { useGoogleSignIn } from './useGoogleSignIn';

const NOTICES: Record<string, string> = {
  'signed-out': 'You have signed out.',
  'signed-out-all': 'You have signed out of every device.',
  'password-reset': 'Your password has been changed. Log in with your new password.',
  'session-expired': 'Your session ended. Please log in again.',
  suspended: 'This account is suspended. Contact the Pathshala team if you think this is a mistake.',
};
/** Notices that report a problem rather than confirm something the visitor did. */
const WARNING_NOTICES = new Set(['suspended']);

interface LoginValues {
  email: string;
  password: string;
}

export function LoginPage() {
  usePageTitle('Log in');
  const [params] = useSearchParams();
  const location = useLocation();
  const noticeKey = (location.state as { notice?: string } | null)?.notice ?? params.get('notice') ?? '';
  const notice = NOTICES[noticeKey];
  const warning = WARNING_NOTICES.has(noticeKey);
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const setUser = useSetSessionUser();
  const [formError, setFormError] = useState<string | null>(null);
  const google = useGoogleSignIn(next);

  const form = useForm<LoginValues>({
    mode: 'controlled',
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (!v.trim() ? 'Enter your email address' : /^[^\s@]+@[^\s@]+$/.test(v.trim()) ? null : 'Enter a valid email address'),
      password: (v) => (v ? null : 'Enter your password'),
    },
  });

  const login = useMutation({
    mutationFn: (values: LoginValues) => authApi.login({ email: values.email.trim(), password: values.password }),
    onSuccess: (user) => {
      setUser(user);
      navigate(next, { replace: true });
    },
    onError: (error) => setFormError(applyServerErrors(form, error)),
  });

  return (
    <AuthCard>
      <Stack gap="lg">
        <div>
          <Title order={1}>Log in to Pathshala</Title>
          <Text c="dimmed" mt={6}>
            Welcome back. Pick up where you left off.
          </Text>
        </div>

        {notice && !formError && (
          <Alert
            color={warning ? 'red' : 'teal'}
            variant="light"
            icon={warning ? <IconAlertCircle size={20} aria-hidden /> : <IconCircleCheck size={20} aria-hidden />}
            role={warning ? 'alert' : 'status'}
            title={warning ? 'You have been signed out' : undefined}
          >
            {notice}
          </Alert>
        )}
        {formError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="Couldn't log you in">
            {formError}
          </Alert>
        )}
        {google.isError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="Google sign-in failed">
            {describeError(google.error)}
          </Alert>
        )}

        <form
          noValidate
          onSubmit={form.onSubmit((values) => {
            setFormError(null);
            login.mutate(values);
          })}
        >
          <Stack gap="md">
            <TextInput label="Email" type="email" autoComplete="email" required {...form.getInputProps('email')} />
            <div>
              <PasswordInput label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
              <Group justify="flex-end" mt={6}>
                <Anchor component={Link} to="/forgot-password" size="sm">
                  Forgot password?
                </Anchor>
              </Group>
            </div>
            <Button type="submit" size="md" fullWidth loading={login.isPending}>
              Log in
            </Button>
          </Stack>
        </form>

        <GoogleSignInButton text="signin_with" onCredential={(token) => google.mutate(token)} />

        <Text size="sm" ta="center">
          New to Pathshala?{' '}
          <Anchor component={Link} to={params.get('next') ? `/signup?next=${encodeURIComponent(next)}` : '/signup'} fw={600}>
            Create an account
          </Anchor>
        </Text>
      </Stack>
    </AuthCard>
  );
}
