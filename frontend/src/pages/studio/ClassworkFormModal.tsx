import { useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, NumberInput, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import type { Classwork, ClassworkInput } from '../../api/studio';
import { applyServerErrors } from '../../components/formErrors';
import { isoToLocalInput, localInputToIso } from './datetime';

export interface ClassworkFormValues {
  title: string;
  instructions: string;
  due_at: string;
  max_points: number | string;
}

export function validateClasswork(values: ClassworkFormValues): Partial<Record<keyof ClassworkFormValues, string>> {
  const errors: Partial<Record<keyof ClassworkFormValues, string>> = {};
  const title = values.title.trim();
  if (!title) errors.title = 'Give the classwork a title';
  else if (title.length > 200) errors.title = 'Use at most 200 characters';
  if (values.instructions.length > 20_000) errors.instructions = 'Use at most 20,000 characters';
  if (localInputToIso(values.due_at) === 'invalid') errors.due_at = 'Enter a date and time, or leave it empty';
  const points = typeof values.max_points === 'number' ? values.max_points : Number(values.max_points);
  if (values.max_points === '' || !Number.isInteger(points) || points < 1 || points > 1000) errors.max_points = 'Use a whole number from 1 to 1000';
  return errors;
}

function toInput(values: ClassworkFormValues): ClassworkInput & { title: string } {
  const due = localInputToIso(values.due_at);
  return {
    title: values.title.trim(),
    instructions: values.instructions,
    due_at: due === 'invalid' ? null : due,
    max_points: Number(values.max_points),
  };
}

/** Create or edit classwork: title, instructions, due date and time (optional), max points. */
export function ClassworkFormModal({
  opened,
  onClose,
  classwork,
  onSubmit,
}: {
  opened: boolean;
  onClose: () => void;
  classwork?: Classwork;
  onSubmit: (input: ClassworkInput & { title: string }) => Promise<unknown>;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useForm<ClassworkFormValues>({
    mode: 'controlled',
    initialValues: { title: '', instructions: '', due_at: '', max_points: 100 },
    validate: validateClasswork,
  });

  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    const values = classwork
      ? { title: classwork.title, instructions: classwork.instructions, due_at: isoToLocalInput(classwork.due_at), max_points: classwork.max_points }
      : { title: '', instructions: '', due_at: '', max_points: 100 };
    form.setInitialValues(values);
    form.setValues(values);
    form.clearErrors();
  }, [opened, classwork?.id]); // reset each time the modal opens

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    setSaving(true);
    try {
      await onSubmit(toInput(values));
      onClose();
    } catch (error) {
      setFormError(
        applyServerErrors(form, error, {
          codeFields: { max_points_below_grade: { field: 'max_points', message: 'A submission already has a higher grade than this' } },
        }),
      );
    } finally {
      setSaving(false);
    }
  });

  const label = classwork ? 'Edit classwork' : 'New classwork';
  return (
    <Modal opened={opened} onClose={onClose} title={label} size="lg">
      <form noValidate onSubmit={submit} aria-label={label}>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="We couldn't save the classwork">
              {formError}
            </Alert>
          )}
          <TextInput label="Title" required maxLength={200} autoComplete="off" data-autofocus {...form.getInputProps('title')} />
          <Textarea
            size="md"
            label="Instructions"
            description="What students should do and hand in."
            autosize
            minRows={4}
            maxRows={12}
            {...form.getInputProps('instructions')}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <TextInput type="datetime-local" label="Due" description="Optional, in your local time" {...form.getInputProps('due_at')} />
            <NumberInput
              size="md"
              label="Max points"
              required
              min={1}
              max={1000}
              allowDecimal={false}
              allowNegative={false}
              clampBehavior="none"
              description="From 1 to 1000"
              {...form.getInputProps('max_points')}
            />
          </SimpleGrid>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={saving}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              {classwork ? 'Save classwork' : 'Create classwork'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
