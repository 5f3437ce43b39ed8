import { useState } from 'react';
import { Alert, Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconArrowLeft, IconMailCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import * as authApi from '../../api/auth';
import { isApiError } from '../../api/client';
import { applyServerErrors } from '../../components/formErrors';
import { AuthCard } from '../../components/PublicLayout';
import { usePageTitle } from '../../components/usePageTitle';

export function ForgotPasswordPage() {
  usePageTitle('Reset your password');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { email: '' },
    validate: {
      email: (v) => (!v.trim() ? 'Enter your email address' : /^[^\s@]+@[^\s@]+$/.test(v.trim()) ? null : 'Enter a valid email address'),
    },
  });

  const request = useMutation({
    mutationFn: (email: string) => authApi.forgotPassword({ email }),
    onSuccess: (_data, email) => setSentTo(email),
    onError: (error, email) => {
      // The answer must not reveal whether an account exists; only errors that say nothing
      // about the address (rate limit, bad input, network) are shown.
      if (isApiError(error) && (error.status === 429 || error.status === 422 || error.status === 0 || error.status >= 500)) {
        setFormError(applyServerErrors(form, error));
      } else {
        setSentTo(email);
      }
    },
  });

  return (
    <AuthCard>
      <Stack gap="lg">
        <div>
          <Title order={1}>Reset your password</Title>
          <Text c="dimmed" mt={6}>
            Enter the email you signed up with and we'll send you a link to choose a new password.
          </Text>
        </div>

        {sentTo ? (
          <Alert color="teal" variant="light" icon={<IconMailCheck size={20} aria-hidden />} title="Check your email" role="status" data-testid="forgot-sent">
            If an account exists for <strong>{sentTo}</strong>, we sent a link to reset its password. The link works
            once and expires in 1 hour. Didn't get it? Check your spam folder or try again in a few minutes.
          </Alert>
        ) : (
          <>
            {formError && (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="We couldn't send the link">
                {formError}
              </Alert>
            )}
            <form
              noValidate
              onSubmit={form.onSubmit((values) => {
                setFormError(null);
                request.mutate(values.email.trim());
              })}
            >
              <Stack gap="md">
                <TextInput label="Email" type="email" autoComplete="email" required {...form.getInputProps('email')} />
                <Button type="submit" size="md" fullWidth loading={request.isPending}>
                  Send reset link
                </Button>
              </Stack>
            </form>
          </>
        )}

        <Anchor component={Link} to="/login" size="sm" ta="center">
          <IconArrowLeft size={14} aria-hidden style={{ verticalAlign: 'middle', marginRight: 4 }} />
          Back to log in
        </Anchor>
      </Stack>
    </AuthCard>
  );
}
