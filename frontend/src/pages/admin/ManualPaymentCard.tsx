import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertCircle, IconCircleCheck, IconCash, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { adminKeys, listUsers } from '../../api/admin';
import { useRecordManualPayment, type ManualPaymentInput, type ManualPaymentResult } from '../../api/payments';
import { listStudioCourses, studioKeys, type StudioCourse } from '../../api/studio';
import { applyServerErrors } from '../../components/formErrors';
import { formatRupees, paiseToRupeeInput, parseRupees } from '../../components/money';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PROVIDER_ID_RE = /^[A-Za-z0-9_]{1,64}$/;

type PayerMode = 'existing' | 'new';

interface FormValues {
  user_id: string;
  name: string;
  email: string;
  course_id: string;
  amount: string;
  provider_payment_id: string;
  provider_order_id: string;
  notes: string;
}

const COURSE_PARAMS = { page: 1, per_page: 100, sort: 'title' } as const;

/** Every paid course (admins see all of them in the studio list), for the course picker. */
function usePaidCourses() {
  return useQuery({
    queryKey: studioKeys.list(COURSE_PARAMS),
    queryFn: ({ signal }) => listStudioCourses(COURSE_PARAMS, signal),
    select: (page) => page.items.filter((course) => course.price > 0),
  });
}

function courseLabel(course: StudioCourse): string {
  const state = course.archived_at ? ' (archived)' : !course.is_published ? ' (draft)' : '';
  return `${course.title} · ${formatRupees(course.price)}${state}`;
}

function Recorded({ result, onAnother }: { result: ManualPaymentResult; onAnother: () => void }) {
  return (
    <Alert
      mt="md"
      color="teal"
      variant="light"
      icon={<IconCircleCheck size={20} aria-hidden />}
      title="Payment recorded"
      role="status"
      data-testid="manual-payment-recorded"
    >
      <Stack gap={6}>
        <Text size="sm">
          {formatRupees(result.amount)} from {result.user.name} ({result.user.email}) for “{result.course.title}”.
          {result.receipt_label ? ` Receipt ${result.receipt_label}.` : ''} They are enrolled and can start learning.
        </Text>
        {result.user_created && (
          <Text size="sm" data-testid="manual-payment-invited">
            A new student account was created. We mailed {result.user.email} a link to set their password.
          </Text>
        )}
        {result.provider_payment_id && (
          <Text size="sm">
            Reference: <Text span ff="monospace">{result.provider_payment_id}</Text>
          </Text>
        )}
        <Group mt={4}>
          <Button size="xs" variant="default" onClick={onAnother}>
            Record another payment
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/**
 * Money that reached the platform outside the checkout (NEFT/IMPS with a UTR, cash, a
 * Razorpay payment whose verification failed): the admin records it and the student is
 * enrolled. An email without an account gets a new student account and a set-password mail.
 */
export function ManualPaymentCard({ onRecorded }: { onRecorded?: (result: ManualPaymentResult) => void }) {
  const [mode, setMode] = useState<PayerMode>('existing');
  const [userSearch, setUserSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(userSearch.trim(), 250);
  const [formError, setFormError] = useState<string | null>(null);
  const [recorded, setRecorded] = useState<ManualPaymentResult | null>(null);
  const record = useRecordManualPayment();
  const courses = usePaidCourses();

  const form = useForm<FormValues>({
    mode: 'controlled',
    initialValues: { user_id: '', name: '', email: '', course_id: '', amount: '', provider_payment_id: '', provider_order_id: '', notes: '' },
    validate: {
      user_id: (v) => (mode === 'existing' && !v ? 'Choose the student who paid' : null),
      name: (v) => (mode === 'new' && !v.trim() ? "Enter the payer's name" : null),
      email: (v) =>
        mode === 'new' ? (!v.trim() ? "Enter the payer's email" : EMAIL_RE.test(v.trim()) ? null : 'Enter a valid email address') : null,
      course_id: (v) => (!v ? 'Choose the course that was paid for' : null),
      amount: (v) => {
        const parsed = parseRupees(v);
        if (!parsed.ok) return parsed.error.replace(', or 0 for a free course', '');
        return parsed.paise === 0 ? 'Enter the amount received' : null;
      },
      provider_order_id: (v) => (v.trim() && !PROVIDER_ID_RE.test(v.trim()) ? 'Letters, digits and _ only, e.g. order_N5Yx…' : null),
      notes: (v) => (v.length > 2000 ? 'Keep notes under 2,000 characters' : null),
    },
  });

  const users = useQuery({
    queryKey: adminKeys.users({ q: debouncedSearch, page: 1, per_page: 10 }),
    queryFn: ({ signal }) => listUsers({ q: debouncedSearch, page: 1, per_page: 10 }, signal),
    enabled: mode === 'existing' && debouncedSearch.length >= 2,
  });
  // Keep the chosen user's option while the search text changes (Select needs it in data).
  const chosenUser = useRef<{ value: string; label: string } | null>(null);
  const userOptions = useMemo(() => {
    const found = (users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name} · ${u.email}` }));
    const chosen = chosenUser.current;
    return chosen && !found.some((o) => o.value === chosen.value) ? [chosen, ...found] : found;
  }, [users.data]);

  const courseList = useMemo(() => courses.data ?? [], [courses.data]);
  const selectedCourse = courseList.find((c) => c.id === form.values.course_id);

  // The amount follows the course's price until the admin types their own.
  const amountTouched = useRef(false);
  const courseId = form.values.course_id;
  useEffect(() => {
    const course = courseList.find((c) => c.id === courseId);
    if (course && !amountTouched.current) form.setFieldValue('amount', paiseToRupeeInput(course.price));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [courseId, courseList]);

  const reset = () => {
    form.reset();
    amountTouched.current = false;
    chosenUser.current = null;
    setUserSearch('');
    setRecorded(null);
    setFormError(null);
  };

  const submit = (values: FormValues) => {
    setFormError(null);
    const parsed = parseRupees(values.amount);
    const input: ManualPaymentInput = {
      course_id: values.course_id,
      ...(mode === 'existing' ? { user_id: values.user_id } : { email: values.email.trim(), name: values.name.trim() }),
      ...(parsed.ok ? { amount: parsed.paise } : {}),
      currency: selectedCourse?.currency ?? 'INR',
      ...(values.provider_payment_id.trim() ? { provider_payment_id: values.provider_payment_id.trim() } : {}),
      ...(values.provider_order_id.trim() ? { provider_order_id: values.provider_order_id.trim() } : {}),
      ...(values.notes.trim() ? { notes: values.notes.trim() } : {}),
    };
    record.mutate(input, {
      onSuccess: (result) => {
        setRecorded(result);
        onRecorded?.(result);
      },
      onError: (error) =>
        setFormError(
          applyServerErrors(form, error, {
            codeFields: {
              already_enrolled: { field: 'course_id', message: 'This student is already enrolled in this course' },
              course_is_free: { field: 'course_id', message: 'This course is free: enroll the student instead' },
              payment_already_used: { field: 'provider_payment_id', message: 'This reference has already been recorded' },
            },
          }),
        ),
    });
  };

  return (
    <Card component="section" aria-labelledby="manual-payment-heading">
      <Group gap="xs">
        <IconCash size={22} aria-hidden />
        <Title order={2} id="manual-payment-heading">
          Record a payment
        </Title>
      </Group>
      <Text size="sm" c="dimmed" mt={4}>
        For money received outside the checkout: a bank transfer (NEFT, IMPS, RTGS, UPI), cash, or a Razorpay payment that did
        not unlock the course. The student is enrolled at once.
      </Text>

      {recorded ? (
        <Recorded result={recorded} onAnother={reset} />
      ) : (
        <>
          {formError && (
            <Alert mt="md" color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} role="alert" title="We couldn't record the payment">
              {formError}
            </Alert>
          )}
          <form noValidate aria-label="Record a payment" onSubmit={form.onSubmit(submit)}>
            <Stack gap="md" mt="md">
              <div>
                <Text size="sm" fw={500} mb={6} id="payer-mode-label">
                  Who paid?
                </Text>
                <SegmentedControl
                  aria-labelledby="payer-mode-label"
                  value={mode}
                  onChange={(value) => {
                    setMode(value as PayerMode);
                    form.clearErrors();
                  }}
                  data={[
                    { value: 'existing', label: 'Existing user' },
                    { value: 'new', label: 'New person' },
                  ]}
                />
              </div>

              {mode === 'existing' ? (
                <Select
                  label="Student"
                  placeholder="Type a name or email"
                  description="Search by name or email (at least 2 letters)."
                  searchable
                  clearable
                  required
                  leftSection={<IconSearch size={16} aria-hidden />}
                  data={userOptions}
                  filter={({ options }) => options}
                  searchValue={userSearch}
                  onSearchChange={setUserSearch}
                  nothingFoundMessage={
                    debouncedSearch.length < 2 ? 'Type at least 2 letters' : users.isFetching ? 'Searching…' : 'Nobody matches: use “New person”'
                  }
                  {...form.getInputProps('user_id')}
                  onChange={(value, option) => {
                    chosenUser.current = value && option ? { value, label: option.label } : null;
                    form.setFieldValue('user_id', value ?? '');
                  }}
                />
              ) : (
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                  <TextInput label="Payer's name" autoComplete="off" required {...form.getInputProps('name')} />
                  <TextInput
                    label="Payer's email"
                    type="email"
                    autoComplete="off"
                    required
                    description="A new email gets a student account and a link to set a password."
                    {...form.getInputProps('email')}
                  />
                </SimpleGrid>
              )}

              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <Select
                  label="Course"
                  placeholder={courses.isPending ? 'Loading courses…' : 'Choose a paid course'}
                  searchable
                  required
                  data={courseList.map((course) => ({ value: course.id, label: courseLabel(course) }))}
                  nothingFoundMessage={courses.isError ? "Couldn't load courses" : 'No paid course matches'}
                  error={courses.isError ? "Couldn't load the courses. Reload the page to try again." : undefined}
                  {...form.getInputProps('course_id')}
                />
                <TextInput
                  label="Amount received (₹)"
                  inputMode="decimal"
                  required
                  description={selectedCourse ? `Course price: ${formatRupees(selectedCourse.price)}` : 'Defaults to the course price'}
                  {...form.getInputProps('amount')}
                  onChange={(event) => {
                    amountTouched.current = true;
                    form.setFieldValue('amount', event.currentTarget.value);
                  }}
                />
              </SimpleGrid>

              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <TextInput
                  label="UTR or payment reference"
                  autoComplete="off"
                  description="The bank's UTR for a transfer, or the Razorpay payment id (pay_…)."
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                  {...form.getInputProps('provider_payment_id')}
                />
                <TextInput
                  label="Razorpay order id (optional)"
                  autoComplete="off"
                  description="Completes that pending order instead of opening a new one."
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                  {...form.getInputProps('provider_order_id')}
                />
              </SimpleGrid>

              <Textarea
                size="md"
                label="Notes"
                description="Anything the ledger should remember: how it was paid, who confirmed it."
                autosize
                minRows={2}
                maxRows={6}
                {...form.getInputProps('notes')}
              />

              <Group>
                <Button type="submit" loading={record.isPending} leftSection={<IconCash size={16} aria-hidden />}>
                  Record payment
                </Button>
              </Group>
            </Stack>
          </form>
        </>
      )}
    </Card>
  );
}
