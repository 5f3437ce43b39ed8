import { useState } from 'react';
import { Alert, Anchor, Button, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import * as authApi from '../../api/auth';
import { isApiError } from '../../api/client';
import { setSessionUser } from '../../auth/session';
import { applyServerErrors } from '../../components/formErrors';
import { validateNewPassword } from '../../components/passwordStrength';
import { PasswordWithStrength } from '../../components/PasswordWithStrength';
import { AuthCard } from '../../components/PublicLayout';
import { usePageTitle } from '../../components/usePageTitle';

function BadLink({ reason }: { reason: string }) {
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="This reset link can't be used">
      <Text size="sm">{reason}</Text>
      <Anchor component={Link} to="/forgot-password" size="sm" fw={600} mt="xs" display="inline-block">
        Request a new link
      </Anchor>
    </Alert>
  );
}

export function ResetPasswordPage() {
  usePageTitle('Choose a new password');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const [linkError, setLinkError] = useState<string | null>(null);

  const form = useForm({
    mode: 'controlled',
    initialValues: { password: '', confirm: '' },
    validate: {
      password: validateNewPassword,
      confirm: (value, values) => (!value ? 'Repeat the new password' : value !== values.password ? 'The passwords do not match' : null),
    },
  });

  const reset = useMutation({
    mutationFn: (password: string) => authApi.resetPassword({ token, new_password: password }),
    onSuccess: () => {
      // Every session of this user was revoked, including one in this browser.
      setSessionUser(queryClient, null);
      notifications.show({ color: 'teal', title: 'Password changed', message: 'Log in with your new password.' });
      navigate('/login', { replace: true, state: { notice: 'password-reset' } });
    },
    onError: (error) => {
      if (isApiError(error) && error.code === 'invalid_reset_token') {
        setLinkError('The link has expired or was already used. Links work once and expire after 1 hour.');
        return;
      }
      setFormError(applyServerErrors(form, error, { fieldMap: { new_password: 'password' } }));
    },
  });

  return (
    <AuthCard>
      <Stack gap="lg">
        <div>
          <Title order={1}>Choose a new password</Title>
          <Text c="dimmed" mt={6}>
            After this, you'll be signed out everywhere and can log in with the new password.
          </Text>
        </div>

        {!token ? (
          <BadLink reason="The link is incomplete. Open the link from the email again, or request a new one." />
        ) : linkError ? (
          <BadLink reason={linkError} />
        ) : (
          <>
            {formError && (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="We couldn't change your password">
                {formError}
              </Alert>
            )}
            <form
              noValidate
              onSubmit={form.onSubmit((values) => {
                setFormError(null);
                reset.mutate(values.password);
              })}
            >
              <Stack gap="md">
                <PasswordWithStrength label="New password" required {...form.getInputProps('password')} value={form.values.password} />
                <PasswordInput label="Repeat new password" autoComplete="new-password" required {...form.getInputProps('confirm')} />
                <Button type="submit" size="md" fullWidth loading={reset.isPending}>
                  Change password
                </Button>
              </Stack>
            </form>
          </>
        )}
      </Stack>
    </AuthCard>
  );
}
