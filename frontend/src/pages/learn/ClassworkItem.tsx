import { RichText } from '../../components/RichText';
import { useId, useState } from 'react';
import { Alert, Badge, Box, Button, Card, Divider, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconCalendarDue, IconPencil, IconSend, IconTrophy } from '@tabler/icons-react';
import { isApiError } from '../../api/client';
import { useSubmitClasswork, type ClassworkEntry } from '../../api/courses';
import { applyServerErrors } from '../../components/formErrors';
import { classworkStatus, formatDateTime, STATUS_COLORS, STATUS_LABELS } from './classworkStatus';

const MAX_ANSWER = 50_000;

function validateAnswer(value: string): string | null {
  if (!value.trim()) return 'Write your answer before submitting';
  if (value.length > MAX_ANSWER) return 'Keep your answer under 50,000 characters';
  return null;
}

function AnswerForm({
  entry,
  courseId,
  onDone,
  onCancel,
}: {
  entry: ClassworkEntry;
  courseId: string;
  onDone: () => void;
  onCancel?: () => void;
}) {
  const submit = useSubmitClasswork(courseId);
  const [formError, setFormError] = useState<string | null>(null);
  const resubmitting = Boolean(entry.my_submission);
  const form = useForm({
    mode: 'controlled',
    initialValues: { text: entry.my_submission?.text ?? '' },
    validate: { text: validateAnswer },
  });

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ text }) => {
        setFormError(null);
        submit.mutate(
          { classworkId: entry.id, text },
          {
            onSuccess: () => {
              notifications.show({
                color: 'teal',
                title: resubmitting ? 'Answer updated' : 'Classwork submitted',
                message: `${entry.title}: your teacher will grade it.`,
              });
              onDone();
            },
            onError: (error) => setFormError(applyServerErrors(form, error)),
          },
        );
      })}
    >
      <Stack gap="sm">
        {formError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="We couldn't submit your answer">
            {formError}
            {isApiError(submit.error) && submit.error.code === 'already_graded' && ' Reload the page to see your grade.'}
          </Alert>
        )}
        <Textarea
          label="Your answer"
          description={resubmitting ? 'You can change your answer until it is graded.' : 'You can change it later, until it is graded.'}
          autosize
          minRows={4}
          maxRows={16}
          required
          {...form.getInputProps('text')}
        />
        <Group gap="sm">
          <Button type="submit" loading={submit.isPending} leftSection={<IconSend size={16} aria-hidden />}>
            {resubmitting ? 'Resubmit' : 'Submit'}
          </Button>
          {onCancel && (
            <Button variant="subtle" color="gray" onClick={onCancel} disabled={submit.isPending}>
              Cancel
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

function Grade({ entry }: { entry: ClassworkEntry }) {
  const submission = entry.my_submission!;
  return (
    <Paper p="md" radius="md" bg="teal.0" style={{ border: '1px solid var(--mantine-color-teal-2)' }} data-testid="classwork-grade">
      <Group gap="sm" align="center" wrap="nowrap">
        <IconTrophy size={26} aria-hidden color="var(--mantine-color-teal-8)" style={{ flex: 'none' }} />
        <div>
          <Text fw={800} fz={26} lh={1.1} c="teal.9">
            {submission.grade} <Text span fz="md" fw={500} c="dark.6">/ {entry.max_points} points</Text>
          </Text>
          {submission.graded_at && (
            <Text size="xs" c="dimmed">
              Graded {formatDateTime(submission.graded_at)}
            </Text>
          )}
        </div>
      </Group>
      <Text fw={600} size="sm" mt="md">
        Feedback from your teacher
      </Text>
      <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="classwork-feedback">
        {submission.feedback?.trim() ? submission.feedback : 'No written feedback.'}
      </Text>
    </Paper>
  );
}

function SubmittedAnswer({ entry }: { entry: ClassworkEntry }) {
  const submission = entry.my_submission!;
  return (
    <div>
      <Group justify="space-between" gap="xs" mb={6}>
        <Text fw={600} size="sm">
          Your answer
        </Text>
        <Text size="xs" c="dimmed">
          Submitted {formatDateTime(submission.submitted_at)}
        </Text>
      </Group>
      <Paper p="sm" radius="md" bg="gray.0" style={{ border: '1px solid var(--mantine-color-gray-2)' }}>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="classwork-answer">
          {submission.text || '(no text)'}
        </Text>
      </Paper>
    </div>
  );
}

/** One piece of classwork: what to do, by when, and the student's answer or grade. */
export function ClassworkItem({ entry, courseId, isTeacher }: { entry: ClassworkEntry; courseId: string; isTeacher: boolean }) {
  const headingId = useId();
  const [editing, setEditing] = useState(false);
  const status = classworkStatus(entry);
  const submission = entry.my_submission;
  const due = formatDateTime(entry.due_at);

  return (
    <Card component="article" aria-labelledby={headingId} data-testid="classwork-item">
      <Group justify="space-between" align="flex-start" gap="sm" wrap="nowrap">
        <Title order={3} id={headingId} style={{ overflowWrap: 'anywhere', minWidth: 0 }}>
          {entry.title}
        </Title>
        {!isTeacher && (
          <Badge color={STATUS_COLORS[status]} variant="light" style={{ flex: 'none' }} mt={2} data-testid="classwork-status">
            {STATUS_LABELS[status]}
          </Badge>
        )}
      </Group>
      <Group mt={6} c="dimmed" wrap="wrap" style={{ rowGap: 4, columnGap: 'var(--mantine-spacing-md)' }}>
        <Group gap={4} wrap="nowrap">
          <IconCalendarDue size={16} aria-hidden style={{ flex: 'none' }} />
          <Text size="sm" c="dimmed">
            {due ? `Due ${due}` : 'No due date'}
          </Text>
        </Group>
        <Text size="sm" c="dimmed">
          {entry.max_points} {entry.max_points === 1 ? 'point' : 'points'}
        </Text>
      </Group>

      {entry.instructions.trim() && (
        <Box mt="md">
          <RichText html={entry.instructions_html} size="sm" />
        </Box>
      )}

      <Divider my="md" />

      {isTeacher ? (
        <Text size="sm" c="dimmed">
          Your students hand in their answers here. You grade them in your teaching studio.
        </Text>
      ) : submission?.is_graded ? (
        <Stack gap="md">
          <Grade entry={entry} />
          <SubmittedAnswer entry={entry} />
        </Stack>
      ) : submission && !editing ? (
        <Stack gap="sm">
          <SubmittedAnswer entry={entry} />
          <Group gap="sm" justify="space-between">
            <Text size="sm" c="dimmed">
              Waiting for your teacher to grade it.
            </Text>
            <Button variant="light" size="sm" leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setEditing(true)}>
              Edit answer
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="sm">
          {status === 'overdue' && (
            <Text size="sm" c="red.9">
              The due date has passed, but you can still hand in your work.
            </Text>
          )}
          <AnswerForm
            entry={entry}
            courseId={courseId}
            onDone={() => setEditing(false)}
            onCancel={submission ? () => setEditing(false) : undefined}
          />
        </Stack>
      )}
    </Card>
  );
}
