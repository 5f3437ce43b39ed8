import { useEffect, useState } from 'react';
import {
  Alert,
  Autocomplete,
  Box,
  Button,
  Group,
  NativeSelect,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Typography,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconDeviceFloppy, IconInfoCircle } from '@tabler/icons-react';
import { COURSE_LEVELS, type CourseInput, type CourseLevel, type EditableCourse } from '../../api/studio';
import { applyServerErrors } from '../../components/formErrors';
import { formatRupees, paiseToRupeeInput, parseRupees } from '../../components/money';
import { useCategories } from './queries';

export interface CourseFormValues {
  title: string;
  subtitle: string;
  description: string;
  category: string;
  level: CourseLevel;
  language: string;
  price: string;
  /** '' : no classwork requirement for the certificate. */
  passPercent: string;
}

const LEVEL_LABELS: Record<CourseLevel, string> = {
  beginner: 'Beginner',
  intermediate: 'Intermediate',
  advanced: 'Advanced',
};

const LANGUAGES = ['English', 'Hindi', 'Bengali', 'Marathi', 'Telugu', 'Tamil', 'Gujarati', 'Urdu', 'Kannada', 'Odia', 'Malayalam', 'Punjabi', 'Assamese', 'Sanskrit'];

export function courseToFormValues(course?: EditableCourse): CourseFormValues {
  return {
    title: course?.title ?? '',
    subtitle: course?.subtitle ?? '',
    description: course?.description ?? '',
    category: course?.category ?? '',
    level: course?.level ?? 'beginner',
    language: course?.language ?? 'English',
    price: course ? paiseToRupeeInput(course.price) : '',
    passPercent: course?.certificate_pass_percent ? String(course.certificate_pass_percent) : '',
  };
}

/** Client-side checks mirroring the API's limits (courses/schemas.py). */
export function validateCourse(values: CourseFormValues): Partial<Record<keyof CourseFormValues, string>> {
  const errors: Partial<Record<keyof CourseFormValues, string>> = {};
  const title = values.title.trim();
  if (!title) errors.title = 'Give the course a title';
  else if (title.length > 200) errors.title = 'Use at most 200 characters';
  if (values.subtitle.trim().length > 300) errors.subtitle = 'Use at most 300 characters';
  if (values.description.length > 50_000) errors.description = 'Use at most 50,000 characters';
  if (values.category.trim().length > 80) errors.category = 'Use at most 80 characters';
  if (!values.language.trim()) errors.language = 'Say which language the course is taught in';
  else if (values.language.trim().length > 40) errors.language = 'Use at most 40 characters';
  if (!COURSE_LEVELS.includes(values.level)) errors.level = 'Choose a level';
  const price = parseRupees(values.price);
  if (!price.ok) errors.price = price.error;
  const pass = values.passPercent.trim();
  if (pass && !(/^\d{1,3}$/.test(pass) && Number(pass) >= 1 && Number(pass) <= 100)) {
    errors.passPercent = 'Enter a whole number from 1 to 100, or leave it empty';
  }
  return errors;
}

export function formValuesToInput(values: CourseFormValues): CourseInput & { title: string } {
  const price = parseRupees(values.price);
  return {
    title: values.title.trim(),
    subtitle: values.subtitle.trim(),
    description: values.description,
    category: values.category.trim(),
    level: values.level,
    language: values.language.trim(),
    price: price.ok ? price.paise : 0,
    certificate_pass_percent: values.passPercent.trim() ? Number(values.passPercent.trim()) : null,
  };
}

function priceHint(raw: string): string {
  const price = parseRupees(raw);
  if (!raw.trim() || !price.ok) return 'In rupees, e.g. 1499 or 1499.50. Enter 0 for a free course.';
  return price.paise === 0 ? 'This course is free: students enroll without paying.' : `Students pay ${formatRupees(price.paise)}.`;
}

/**
 * The course's details. `course` undefined means a new course. Saving calls `onSubmit`, which
 * returns the request's promise; API field errors (422 `fields`) land on the matching fields.
 */
export function CourseDetailsForm({
  course,
  onSubmit,
  submitLabel,
  onDirtyChange,
}: {
  course?: EditableCourse;
  onSubmit: (input: CourseInput & { title: string }) => Promise<unknown>;
  submitLabel: string;
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [descriptionView, setDescriptionView] = useState<'write' | 'preview'>('write');
  const categories = useCategories();
  const form = useForm<CourseFormValues>({
    mode: 'controlled',
    initialValues: courseToFormValues(course),
    validate: (values) => validateCourse(values),
  });

  // When the saved course changes (after a save, or a refetch), show it unless the teacher is mid-edit.
  const savedKey = course ? `${course.id}:${course.updated_at}` : 'new';
  useEffect(() => {
    if (!course) return;
    const next = courseToFormValues(course);
    const editing = form.isDirty();
    form.setInitialValues(next);
    if (!editing) form.setValues(next);
  }, [savedKey]); // only when the saved course changes, not on every keystroke

  const dirty = form.isDirty();
  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    setSaving(true);
    try {
      await onSubmit(formValuesToInput(values));
      form.resetDirty();
    } catch (error) {
      setFormError(applyServerErrors(form, error));
    } finally {
      setSaving(false);
    }
  });

  const previewStale = course ? form.values.description !== course.description : false;

  return (
    <form noValidate onSubmit={submit} aria-label="Course details">
      <Stack gap="md">
        {formError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="We couldn't save the course">
            {formError}
          </Alert>
        )}
        <TextInput label="Title" required maxLength={200} autoComplete="off" placeholder="e.g. Hindustani vocal for beginners" {...form.getInputProps('title')} />
        <TextInput
          label="Subtitle"
          maxLength={300}
          autoComplete="off"
          description="One line that tells students what they will get out of it."
          {...form.getInputProps('subtitle')}
        />

        <Box>
          <Group justify="space-between" align="center" gap="xs">
            <Text component="label" htmlFor="course-description" size="md" fw={500} display="block">
              Description
            </Text>
            {course && (
              <SegmentedControl
                size="xs"
                value={descriptionView}
                onChange={(v) => setDescriptionView(v as 'write' | 'preview')}
                data={[
                  { value: 'write', label: 'Write' },
                  { value: 'preview', label: 'Preview' },
                ]}
                aria-label="Write or preview"
              />
            )}
          </Group>
          <Text size="sm" c="dimmed" id="course-description-help" mt={2} mb={6}>
            Markdown: **bold**, *italic*, lists with "- ", links as [text](https://…).
          </Text>
          {descriptionView === 'write' || !course ? (
            <Textarea
              size="md"
              id="course-description"
              aria-describedby="course-description-help"
              autosize
              minRows={6}
              maxRows={18}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 14 } }}
              {...form.getInputProps('description')}
            />
          ) : (
            <Box data-testid="description-preview">
              {previewStale && (
                <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden />} mb="xs" p="xs">
                  The preview shows the last saved description. Save to see your latest changes.
                </Alert>
              )}
              <Box
                p="md"
                mih={120}
                style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 'var(--mantine-radius-md)', overflowWrap: 'anywhere' }}
              >
                {course.description_html.trim() ? (
                  <Typography>
                    {/* Rendered by the server with raw HTML escaped and unsafe links refused. */}
                    <div dangerouslySetInnerHTML={{ __html: course.description_html }} />
                  </Typography>
                ) : (
                  <Text c="dimmed" size="sm">
                    No description saved yet.
                  </Text>
                )}
              </Box>
            </Box>
          )}
        </Box>

        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <Autocomplete
            size="md"
            label="Category"
            placeholder="e.g. Music"
            maxLength={80}
            data={(categories.data ?? []).map((c) => c.name)}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('category')}
          />
          <NativeSelect
            label="Level"
            size="md"
            data={COURSE_LEVELS.map((level) => ({ value: level, label: LEVEL_LABELS[level] }))}
            {...form.getInputProps('level')}
          />
          <Autocomplete size="md" label="Language" required maxLength={40} data={LANGUAGES} {...form.getInputProps('language')} />
        </SimpleGrid>

        <TextInput
          label="Price (₹)"
          required
          inputMode="decimal"
          autoComplete="off"
          placeholder="0"
          leftSection={<Text component="span" size="md" fw={500} c="dark.6" aria-hidden>₹</Text>}
          description={priceHint(form.values.price)}
          w={{ base: '100%', xs: 320 }}
          {...form.getInputProps('price')}
        />

        <TextInput
          label="Certificate: classwork pass mark (%)"
          inputMode="numeric"
          autoComplete="off"
          description={
            form.values.passPercent.trim()
              ? `Students earn the certificate when every lesson is complete and every piece of classwork is graded at least ${form.values.passPercent.trim()}% of its points.`
              : 'Empty: students earn the certificate by completing every lesson.'
          }
          w={{ base: '100%', xs: 320 }}
          {...form.getInputProps('passPercent')}
        />

        <Group justify="flex-end" gap="sm" mt="xs">
          {course && dirty && (
            <>
              <Text size="sm" c="dimmed" aria-live="polite">
                Unsaved changes
              </Text>
              <Button variant="default" onClick={() => form.reset()} disabled={saving}>
                Discard
              </Button>
            </>
          )}
          <Button type="submit" loading={saving} leftSection={<IconDeviceFloppy size={18} aria-hidden />}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
