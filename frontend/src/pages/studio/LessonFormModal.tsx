import { useEffect, useState } from 'react';
import { Alert, Autocomplete, Button, Checkbox, Group, Modal, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import type { Lesson, LessonInput } from '../../api/studio';
import { applyServerErrors } from '../../components/formErrors';
import { durationToInput, parseDuration } from './duration';
import { LessonAttachmentsField } from './LessonAttachmentsField';
import { LessonVideoField } from './LessonVideoField';

export interface LessonFormValues {
  title: string;
  section_title: string;
  description: string;
  is_free_preview: boolean;
  duration: string;
}

export function validateLesson(values: LessonFormValues): Partial<Record<keyof LessonFormValues, string>> {
  const errors: Partial<Record<keyof LessonFormValues, string>> = {};
  const title = values.title.trim();
  if (!title) errors.title = 'Give the lesson a title';
  else if (title.length > 200) errors.title = 'Use at most 200 characters';
  if (values.section_title.trim().length > 200) errors.section_title = 'Use at most 200 characters';
  if (values.description.length > 20_000) errors.description = 'Use at most 20,000 characters';
  const duration = parseDuration(values.duration);
  if (!duration.ok) errors.duration = duration.error;
  return errors;
}

function toInput(values: LessonFormValues): LessonInput & { title: string } {
  const duration = parseDuration(values.duration);
  return {
    title: values.title.trim(),
    section_title: values.section_title.trim(),
    description: values.description,
    is_free_preview: values.is_free_preview,
    duration_seconds: duration.ok ? duration.seconds : 0,
  };
}

/** Add a lesson, or edit one (title, section, description, free preview, length). */
export function LessonFormModal({
  opened,
  onClose,
  lesson,
  defaultSection = '',
  sectionTitles,
  onSubmit,
}: {
  opened: boolean;
  onClose: () => void;
  lesson?: Lesson;
  defaultSection?: string;
  sectionTitles: string[];
  onSubmit: (input: LessonInput & { title: string }) => Promise<unknown>;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useForm<LessonFormValues>({
    mode: 'controlled',
    initialValues: { title: '', section_title: '', description: '', is_free_preview: false, duration: '' },
    validate: validateLesson,
  });

  useEffect(() => {
    if (!opened) return;
    setFormError(null);
    const values = lesson
      ? {
          title: lesson.title,
          section_title: lesson.section_title,
          description: lesson.description,
          is_free_preview: lesson.is_free_preview,
          duration: durationToInput(lesson.duration_seconds),
        }
      : { title: '', section_title: defaultSection, description: '', is_free_preview: false, duration: '' };
    form.setInitialValues(values);
    form.setValues(values);
    form.clearErrors();
  }, [opened, lesson?.id]); // reset each time the modal opens

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    setSaving(true);
    try {
      await onSubmit(toInput(values));
      onClose();
    } catch (error) {
      setFormError(applyServerErrors(form, error, { fieldMap: { duration_seconds: 'duration' } }));
    } finally {
      setSaving(false);
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={lesson ? 'Edit lesson' : 'Add a lesson'} size="lg">
      <form noValidate onSubmit={submit} aria-label={lesson ? 'Edit lesson' : 'Add a lesson'}>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="We couldn't save the lesson">
              {formError}
            </Alert>
          )}
          <TextInput label="Lesson title" required maxLength={200} autoComplete="off" data-autofocus {...form.getInputProps('title')} />
          {lesson && <LessonVideoField lessonId={lesson.id} />}
          {lesson && <LessonAttachmentsField lessonId={lesson.id} />}
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <Autocomplete
              size="md"
              label="Section"
              description="Lessons with the same section are grouped together."
              placeholder="e.g. Getting started"
              maxLength={200}
              data={sectionTitles.filter(Boolean)}
              {...form.getInputProps('section_title')}
            />
            <TextInput
              label="Length"
              description="Minutes:seconds, e.g. 12:30"
              placeholder="mm:ss"
              inputMode="numeric"
              autoComplete="off"
              {...form.getInputProps('duration')}
            />
          </SimpleGrid>
          <Textarea size="md" label="Description" description="What the lesson covers (Markdown)." autosize minRows={3} maxRows={10} {...form.getInputProps('description')} />
          <Checkbox
            label="Free preview"
            description="Anyone signed in can watch this lesson before enrolling."
            {...form.getInputProps('is_free_preview', { type: 'checkbox' })}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={saving}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              {lesson ? 'Save lesson' : 'Add lesson'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
