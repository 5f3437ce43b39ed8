import { useEffect, useState } from 'react';
import {
  Alert,
  Badge,
  Box,
  Button,
  Card,
  Group,
  NativeSelect,
  NumberInput,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconChecklist, IconInbox, IconPaperclip } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { gradeSubmission, studioKeys, type Classwork, type SubmissionWithStudent } from '../../api/studio';
import { applyServerErrors } from '../../components/formErrors';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from './datetime';
import { EmptyState } from '../../components/EmptyState';
import { useClassworkList, useSubmissions } from './queries';

type Filter = 'all' | 'to-grade' | 'graded';

export function validateGrade(points: number | string, max: number): string | null {
  if (points === '' || points === null) return 'Enter the points';
  const n = typeof points === 'number' ? points : Number(points);
  if (!Number.isInteger(n)) return 'Use a whole number';
  if (n < 0 || n > max) return `Use a number from 0 to ${max}`;
  return null;
}

function GradeForm({ submission, classwork, onDone }: { submission: SubmissionWithStudent; classwork: Classwork; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ grade: number | string; feedback: string }>({
    mode: 'controlled',
    initialValues: { grade: submission.grade ?? '', feedback: submission.feedback ?? '' },
    validate: {
      grade: (v) => validateGrade(v, classwork.max_points),
      feedback: (v) => (v.length > 20_000 ? 'Use at most 20,000 characters' : null),
    },
  });
  const save = useMutation({
    mutationFn: (values: { grade: number; feedback: string }) => gradeSubmission(submission.id, values),
    onSuccess: (saved) => {
      queryClient.setQueryData<SubmissionWithStudent[]>(studioKeys.submissions(classwork.id), (old) =>
        old?.map((s) => (s.id === saved.id ? { ...s, ...saved } : s)),
      );
      void queryClient.invalidateQueries({ queryKey: studioKeys.submissions(classwork.id) });
      notifications.show({
        color: 'teal',
        title: 'Grade saved',
        message: `${submission.student.name}: ${saved.grade} / ${classwork.max_points}. They can see it with your feedback.`,
      });
      onDone();
    },
    onError: (error) => setFormError(applyServerErrors(form, error)),
  });
  const name = submission.student.name;

  return (
    <form
      noValidate
      aria-label={`Grade ${name}`}
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        save.mutate({ grade: Number(values.grade), feedback: values.feedback });
      })}
    >
      <Stack gap="sm">
        {formError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="We couldn't save the grade">
            {formError}
          </Alert>
        )}
        <NumberInput
          size="md"
          label={`Points (out of ${classwork.max_points})`}
          required
          min={0}
          max={classwork.max_points}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="none"
          w={{ base: '100%', xs: 220 }}
          {...form.getInputProps('grade')}
        />
        <Textarea size="md" label="Feedback" description={`${name} sees this with the grade.`} autosize minRows={2} maxRows={8} {...form.getInputProps('feedback')} />
        <Group gap="sm">
          <Button type="submit" loading={save.isPending}>
            {submission.is_graded ? 'Update grade' : 'Save grade'}
          </Button>
          {submission.is_graded && (
            <Button variant="default" onClick={onDone} disabled={save.isPending}>
              Cancel
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

function SubmissionCard({ submission, classwork }: { submission: SubmissionWithStudent; classwork: Classwork }) {
  const [regrading, setRegrading] = useState(false);
  const showForm = !submission.is_graded || regrading;
  return (
    <Card component="li" padding="md" data-testid="submission">
      <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
        <div style={{ minWidth: 0 }}>
          <Title order={3} id={`submission-${submission.id}`} style={{ overflowWrap: 'anywhere' }}>
            {submission.student.name}
          </Title>
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {submission.student.email} · Handed in {formatDateTime(submission.submitted_at)}
          </Text>
        </div>
        {submission.is_graded ? (
          <Badge variant="dot" color="green" size="lg" data-testid="submission-status">
            Graded {submission.grade} / {classwork.max_points}
          </Badge>
        ) : (
          <Badge variant="dot" color="orange" size="lg" data-testid="submission-status">
            To grade
          </Badge>
        )}
      </Group>

      <Text size="sm" fw={600} mt="md" mb={4}>
        Answer
      </Text>
      <Box
        p="sm"
        bg="gray.0"
        style={{ borderRadius: 'var(--mantine-radius-md)', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxHeight: 320, overflowY: 'auto' }}
        tabIndex={0}
        aria-label={`Answer by ${submission.student.name}`}
        role="region"
      >
        <Text size="sm">{submission.text.trim() ? submission.text : 'No text: see the attachment.'}</Text>
      </Box>
      {submission.attachment_ref && (
        <Group gap={6} mt="xs">
          <IconPaperclip size={15} aria-hidden />
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            Attachment: {submission.attachment_ref}
          </Text>
        </Group>
      )}

      <Box mt="md" pt="md" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
        {showForm ? (
          <GradeForm submission={submission} classwork={classwork} onDone={() => setRegrading(false)} />
        ) : (
          <Stack gap={6}>
            <Text size="sm">
              <strong>
                {submission.grade} / {classwork.max_points} points
              </strong>{' '}
              <Text span size="xs" c="dimmed">
                · graded {formatDateTime(submission.graded_at)}
              </Text>
            </Text>
            {submission.feedback ? (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="submission-feedback">
                {submission.feedback}
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                No feedback written.
              </Text>
            )}
            <Group>
              <Button variant="light" size="xs" onClick={() => setRegrading(true)} aria-label={`Change grade for ${submission.student.name}`}>
                Change grade
              </Button>
            </Group>
          </Stack>
        )}
      </Box>
    </Card>
  );
}

/** Per classwork: who handed in what, and grading with points and feedback (re-grading allowed). */
export function SubmissionsTab({
  active,
  courseId,
  classworkId,
  onSelectClasswork,
  onGoToClasswork,
}: {
  /** Whether this tab is the one shown (it stays mounted behind the others). */
  active: boolean;
  courseId: string;
  classworkId: string | null;
  onSelectClasswork: (id: string) => void;
  onGoToClasswork: () => void;
}) {
  const classworkQuery = useClassworkList(courseId);
  const items = classworkQuery.data ?? [];
  const selected = items.find((c) => c.id === classworkId) ?? items[0] ?? null;
  const submissions = useSubmissions(selected?.id ?? null);
  const [filter, setFilter] = useState<Filter>('all');

  // Keep the chosen classwork in the URL so the view can be shared and survives a reload.
  useEffect(() => {
    if (active && selected && selected.id !== classworkId) onSelectClasswork(selected.id);
  }, [active, selected?.id, classworkId]); // only when the selection changes

  const all = submissions.data ?? [];
  const toGrade = all.filter((s) => !s.is_graded);
  const graded = all.filter((s) => s.is_graded);
  const shown = filter === 'to-grade' ? toGrade : filter === 'graded' ? graded : all;

  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>Submissions</Title>
        <Text size="sm" c="dimmed" mt={4}>
          Read what students handed in and grade it. Students see the grade and your feedback; you can change a grade later.
        </Text>
      </div>

      {classworkQuery.isPending ? (
        <Skeleton height={60} aria-hidden />
      ) : classworkQuery.isError && !classworkQuery.data ? (
        <QueryError error={classworkQuery.error} onRetry={() => void classworkQuery.refetch()} title="Couldn't load the classwork" />
      ) : !selected ? (
        <Card>
          <EmptyState
            bare
            headingOrder={3}
            icon={IconChecklist}
            title="No classwork to hand in yet"
            testId="submissions-no-classwork"
            action={
              <Button variant="light" onClick={onGoToClasswork}>
                Go to classwork
              </Button>
            }
          >
            Submissions appear here once you've set classwork and enrolled students hand it in.
          </EmptyState>
        </Card>
      ) : (
        <>
          <Card padding="md">
            <Group align="flex-end" gap="md" wrap="wrap">
              <NativeSelect
                label="Classwork"
                size="md"
                value={selected.id}
                onChange={(e) => {
                  setFilter('all');
                  onSelectClasswork(e.currentTarget.value);
                }}
                data={items.map((c) => ({ value: c.id, label: c.title }))}
                style={{ flex: '1 1 260px' }}
              />
              <Text size="sm" c="dimmed" pb={8}>
                {selected.due_at ? `Due ${formatDateTime(selected.due_at)}` : 'No due date'} · out of {selected.max_points} points
              </Text>
            </Group>
          </Card>

          {submissions.isPending ? (
            <Stack gap="md" aria-hidden>
              <Skeleton height={160} radius="lg" />
              <Skeleton height={160} radius="lg" />
            </Stack>
          ) : submissions.isError && !submissions.data ? (
            <QueryError error={submissions.error} onRetry={() => void submissions.refetch()} title="Couldn't load the submissions" />
          ) : all.length === 0 ? (
            <Card>
              <EmptyState bare headingOrder={3} icon={IconInbox} title="Nothing handed in yet" testId="submissions-empty">
                When enrolled students hand in “{selected.title}”, their work appears here for you to grade.
              </EmptyState>
            </Card>
          ) : (
            <Stack gap="md">
              <Group justify="space-between" gap="sm" wrap="wrap">
                <Text size="sm" c="dimmed" aria-live="polite">
                  {all.length} handed in · {toGrade.length} to grade
                </Text>
                <SegmentedControl
                  value={filter}
                  onChange={(v) => setFilter(v as Filter)}
                  aria-label="Show submissions"
                  data={[
                    { value: 'all', label: `All (${all.length})` },
                    { value: 'to-grade', label: `To grade (${toGrade.length})` },
                    { value: 'graded', label: `Graded (${graded.length})` },
                  ]}
                />
              </Group>
              {shown.length === 0 ? (
                <Text size="sm" c="dimmed" ta="center" py="lg">
                  {filter === 'to-grade' ? 'Everything is graded. Well done!' : 'Nothing is graded yet.'}
                </Text>
              ) : (
                <Stack gap="md" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
                  {shown.map((submission) => (
                    <SubmissionCard key={submission.id} submission={submission} classwork={selected} />
                  ))}
                </Stack>
              )}
            </Stack>
          )}
        </>
      )}
    </Stack>
  );
}
