import { useState } from 'react';
import { ActionIcon, Alert, Button, Card, CopyButton, Group, SimpleGrid, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconCheck, IconCopy, IconRefresh, IconUserPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { adminKeys, createTeacher, type CreateTeacherInput } from '../../api/admin';
import type { User } from '../../api/types';
import { applyServerErrors } from '../../components/formErrors';
import { validateNewPassword } from '../../components/passwordStrength';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A random 16-character password the admin can hand to the new teacher. */
export function generatePassword(length = 16): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789-_!';
  const bytes = new Uint32Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export function CreateTeacherCard({ onCreated }: { onCreated?: (user: User) => void }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<CreateTeacherInput>({
    mode: 'controlled',
    initialValues: { name: '', email: '', password: '' },
    validate: {
      name: (v) => (!v.trim() ? "Enter the teacher's name" : null),
      email: (v) => (!v.trim() ? "Enter the teacher's email" : EMAIL_RE.test(v.trim()) ? null : 'Enter a valid email address'),
      password: validateNewPassword,
    },
  });

  const create = useMutation({
    mutationFn: (values: CreateTeacherInput) =>
      createTeacher({ name: values.name.trim(), email: values.email.trim(), password: values.password }),
    onSuccess: (user) => {
      form.reset();
      void queryClient.invalidateQueries({ queryKey: adminKeys.all });
      notifications.show({
        color: 'teal',
        title: 'Teacher account created',
        message: `${user.name} (${user.email}) can now log in with the password you set.`,
      });
      onCreated?.(user);
    },
    onError: (error) =>
      setFormError(
        applyServerErrors(form, error, {
          codeFields: { email_taken: { field: 'email', message: 'An account with this email already exists' } },
        }),
      ),
  });

  return (
    <Card>
      <Group gap="xs">
        <IconUserPlus size={22} aria-hidden />
        <Title order={2}>Add a teacher</Title>
      </Group>
      <Text size="sm" c="dimmed" mt={4}>
        Creates a teacher account with a password you choose. Share it with them privately; they can change it from their account page.
      </Text>
      {formError && (
        <Alert mt="md" color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="We couldn't create the teacher">
          {formError}
        </Alert>
      )}
      <form
        noValidate
        aria-label="Add a teacher"
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          create.mutate(values);
        })}
      >
        <SimpleGrid cols={{ base: 1, md: 3 }} mt="md" spacing="md">
          <TextInput label="Teacher's name" autoComplete="off" required {...form.getInputProps('name')} />
          <TextInput label="Teacher's email" type="email" autoComplete="off" required {...form.getInputProps('email')} />
          <TextInput
            label="Password"
            autoComplete="new-password"
            required
            description="At least 8 characters"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            {...form.getInputProps('password')}
            rightSectionWidth={68}
            rightSection={
              <Group gap={2} wrap="nowrap">
                <Tooltip label="Generate a password">
                  <ActionIcon variant="subtle" color="gray" aria-label="Generate a password" onClick={() => form.setFieldValue('password', generatePassword())}>
                    <IconRefresh size={16} aria-hidden />
                  </ActionIcon>
                </Tooltip>
                <CopyButton value={form.values.password}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? 'Copied' : 'Copy password'}>
                      <ActionIcon
                        variant="subtle"
                        color={copied ? 'teal' : 'gray'}
                        aria-label="Copy password"
                        onClick={copy}
                        disabled={!form.values.password}
                      >
                        {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              </Group>
            }
          />
        </SimpleGrid>
        <Group mt="md">
          <Button type="submit" loading={create.isPending} leftSection={<IconUserPlus size={16} aria-hidden />}>
            Create teacher
          </Button>
        </Group>
      </form>
    </Card>
  );
}
