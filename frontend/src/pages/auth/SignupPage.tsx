import { useState } from 'react';
import { Alert, Anchor, Button, Group, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconBook2, IconSchool } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import * as authApi from '../../api/auth';
import { safeNext } from '../../auth/roles';
import { useSetSessionUser } from '../../auth/session';
import { applyServerErrors, describeError } from '../../components/formErrors';
import { GoogleSignInButton } from '../../components/GoogleSignInButton';
import { validateNewPassword } from '../../components/passwordStrength';
import { PasswordWithStrength } from '../../components/PasswordWithStrength';
import { AuthCard } from '../../components/PublicLayout';
import { usePageTitle } from '../../components/usePageTitle';
import { useGoogleSignIn } from './useGoogleSignIn';
import classes from './SignupPage.module.css';

export interface SignupValues {
  name: string;
  email: string;
  password: string;
  role: 'student' | 'teacher';
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateSignup(values: SignupValues): Partial<Record<keyof SignupValues, string>> {
  const errors: Partial<Record<keyof SignupValues, string>> = {};
  const name = values.name.trim();
  if (!name) errors.name = 'Enter your name';
  else if (name.length > 120) errors.name = 'Use at most 120 characters';
  if (!values.email.trim()) errors.email = 'Enter your email address';
  else if (!EMAIL_RE.test(values.email.trim())) errors.email = 'Enter a valid email address';
  const password = validateNewPassword(values.password);
  if (password) errors.password = password;
  if (values.role !== 'student' && values.role !== 'teacher') errors.role = 'Choose how you will use Pathshala';
  return errors;
}

const ROLE_CHOICES = [
  {
    value: 'student',
    title: 'I want to learn',
    description: 'Join courses, watch lessons, hand in classwork and earn certificates.',
    icon: IconSchool,
  },
  {
    value: 'teacher',
    title: 'I want to teach',
    description: 'Create courses, publish lessons and classwork, and get paid by students.',
    icon: IconBook2,
  },
] as const;

export function SignupPage() {
  usePageTitle('Sign up');
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const setUser = useSetSessionUser();
  const [formError, setFormError] = useState<string | null>(null);
  const google = useGoogleSignIn(next);

  const form = useForm<SignupValues>({
    mode: 'controlled',
    initialValues: { name: '', email: '', password: '', role: (params.get('role') === 'teacher' ? 'teacher' : 'student') },
    validate: validateSignup,
    validateInputOnBlur: true,
  });

  const signup = useMutation({
    mutationFn: (values: SignupValues) =>
      authApi.register({ name: values.name.trim(), email: values.email.trim(), password: values.password, role: values.role }),
    onSuccess: (user) => {
      setUser(user);
      notifications.show({ color: 'teal', title: `Welcome to Pathshala, ${user.name}`, message: 'Your account is ready.' });
      navigate(next, { replace: true });
    },
    onError: (error) => {
      setFormError(
        applyServerErrors(form, error, {
          codeFields: { email_taken: { field: 'email', message: 'An account with this email already exists. Log in instead?' } },
        }),
      );
    },
  });

  return (
    <AuthCard width={520}>
      <Stack gap="lg">
        <div>
          <Title order={1}>Create your account</Title>
          <Text c="dimmed" mt={6}>
            Free to join. Learn from independent teachers, or teach your own courses.
          </Text>
        </div>

        {formError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="We couldn't create your account">
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
            signup.mutate(values);
          })}
        >
          <Stack gap="md">
            <Radio.Group
              label="How will you use Pathshala?"
              {...form.getInputProps('role')}
              onChange={(value) => form.setFieldValue('role', value as SignupValues['role'])}
            >
              <div className={classes.roles}>
                {ROLE_CHOICES.map((choice) => (
                  <Radio.Card key={choice.value} value={choice.value} className={classes.card} radius="md">
                    <Group wrap="nowrap" align="flex-start" gap="sm">
                      <Radio.Indicator mt={3} />
                      <div>
                        <Group gap={6} wrap="nowrap">
                          <choice.icon size={18} aria-hidden />
                          <Text fw={600} size="sm">
                            {choice.title}
                          </Text>
                        </Group>
                        <Text size="xs" c="dimmed" mt={4}>
                          {choice.description}
                        </Text>
                      </div>
                    </Group>
                  </Radio.Card>
                ))}
              </div>
            </Radio.Group>

            <TextInput label="Full name" autoComplete="name" required {...form.getInputProps('name')} />
            <TextInput label="Email" type="email" autoComplete="email" required {...form.getInputProps('email')} />
            <PasswordWithStrength label="Password" required {...form.getInputProps('password')} value={form.values.password} />

            <Button type="submit" size="md" fullWidth loading={signup.isPending}>
              Create account
            </Button>
          </Stack>
        </form>

        <GoogleSignInButton text="signup_with" onCredential={(token) => google.mutate(token)} />

        <Text size="sm" ta="center">
          Already have an account?{' '}
          <Anchor component={Link} to={params.get('next') ? `/login?next=${encodeURIComponent(next)}` : '/login'} fw={600}>
            Log in
          </Anchor>
        </Text>
      </Stack>
    </AuthCard>
  );
}
