import { useEffect, useState } from 'react';
import { Anchor, Badge, Button, Card, Group, NativeSelect, Pagination, Skeleton, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCertificate, IconSearch, IconUsers } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { issueCertificate } from '../../api/certificates';
import { describeError } from '../../components/formErrors';
import { listCourseStudents, studioKeys, type CourseStudent, type CourseStudentParams } from '../../api/studio';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from './datetime';

const SOURCE_LABELS: Record<CourseStudent['source'], string> = {
  free: 'Free enrollment',
  razorpay: 'Paid online',
  stripe: 'Paid online',
  manual: 'Bank transfer',
  admin_grant: 'Added by an admin',
};

const PER_PAGE = 25;

/** Issue the certificate by hand (whatever the student's progress); shows the code once issued. */
function IssueCertificateButton({ courseId, student }: { courseId: string; student: CourseStudent['student'] }) {
  const issue = useMutation({
    mutationFn: () => issueCertificate(courseId, student.id),
    onSuccess: (certificate) =>
      notifications.show({ color: 'teal', title: 'Certificate issued', message: `${student.name} holds ${certificate.code}.` }),
    onError: (error) => notifications.show({ color: 'red', title: "Couldn't issue the certificate", message: describeError(error) }),
  });
  if (issue.data) {
    return (
      <Anchor component={Link} to={`/verify/${issue.data.code}`} size="sm" ff="monospace">
        {issue.data.code}
      </Anchor>
    );
  }
  return (
    <Button size="compact-sm" variant="subtle" leftSection={<IconCertificate size={14} aria-hidden />} loading={issue.isPending} onClick={() => issue.mutate()}>
      Issue<VisuallyHidden> a certificate to {student.name}</VisuallyHidden>
    </Button>
  );
}

/** Who is enrolled in the course: name, email, how they joined and when. */
export function StudentsTab({ courseId }: { courseId: string }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [sort, setSort] = useState<NonNullable<CourseStudentParams['sort']>>('newest');
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [q, sort]);

  const params: CourseStudentParams = { page, q, sort };
  const students = useQuery({
    queryKey: studioKeys.students(courseId, params),
    queryFn: ({ signal }) => listCourseStudents(courseId, params, signal),
    placeholderData: keepPreviousData,
  });
  const data = students.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / PER_PAGE)) : 1;

  return (
    <Stack gap="md">
      <div>
        <Title order={2}>Students</Title>
        <Text c="dimmed" size="sm" mt={4}>
          Everyone enrolled in this course, and how they joined.
        </Text>
      </div>

      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Search students"
          placeholder="Name or email"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          style={{ flex: '1 1 240px' }}
        />
        <NativeSelect
          label="Sort by"
          value={sort}
          onChange={(event) => setSort(event.currentTarget.value as 'newest' | 'name')}
          data={[
            { value: 'newest', label: 'Newest first' },
            { value: 'name', label: 'Name' },
          ]}
          size="md"
          style={{ flex: '0 1 180px' }}
        />
      </Group>

      {students.isPending ? (
        <Stack gap="xs" aria-label="Loading students" aria-busy>
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} height={44} radius="md" />
          ))}
        </Stack>
      ) : students.isError ? (
        <QueryError error={students.error} onRetry={() => void students.refetch()} title="Couldn't load the students" />
      ) : data && data.total === 0 ? (
        <Card>
          <EmptyState icon={IconUsers} title={q ? 'No student matches' : 'No students yet'} headingOrder={3} testId="students-empty" bare>
            {q
              ? `Nobody enrolled in this course has “${q}” in their name or email.`
              : 'When students enroll, they appear here with the date and how they joined.'}
          </EmptyState>
        </Card>
      ) : data ? (
        <Card p={0}>
          <Table.ScrollContainer minWidth={680}>
            <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="students-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Student</Table.Th>
                  <Table.Th scope="col">Joined</Table.Th>
                  <Table.Th scope="col">How</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Certificate</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((item) => (
                  <Table.Tr key={item.id} data-testid="student-row">
                    <Table.Td>
                      <Text fw={600} size="sm">
                        {item.student.name}
                      </Text>
                      <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {item.student.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(item.enrolled_at)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{SOURCE_LABELS[item.source]}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="dot" color={item.status === 'active' ? 'teal' : 'gray'}>
                        {item.status === 'active' ? 'Active' : 'Access removed'}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{item.status === 'active' ? <IssueCertificateButton courseId={courseId} student={item.student} /> : null}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      ) : null}

      {data && pages > 1 && (
        <Group justify="space-between" gap="sm">
          <Text size="sm" c="dimmed">
            {data.total} students
          </Text>
          <Pagination total={pages} value={page} onChange={setPage} getControlProps={(control) => ({ 'aria-label': `${control} page` })} />
        </Group>
      )}
    </Stack>
  );
}
