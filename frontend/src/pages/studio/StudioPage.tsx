import { useState } from 'react';
import {
  Anchor,
  Box,
  Button,
  Card,
  Group,
  List,
  NativeSelect,
  Pagination,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconBook2, IconClock, IconCoinRupee, IconPencil, IconPlus, IconSchool, IconUsers, type Icon } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { StudioCourse, StudioSort } from '../../api/studio';
import { useSession } from '../../auth/session';
import { formatCoursePrice } from '../../components/money';
import { QueryError } from '../../components/QueryError';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDate } from '../account/AccountPage';
import { CourseStatusBadge } from './CourseStatusBadge';
import { formatTotalDuration } from './duration';
import { EmptyState } from '../../components/EmptyState';
import { useStudioCourses } from './queries';

const PER_PAGE = 20;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function Stat({ icon: IconComponent, children }: { icon: Icon; children: string }) {
  return (
    <Group gap={6} wrap="nowrap">
      <IconComponent size={16} stroke={1.7} aria-hidden color="var(--mantine-color-gray-7)" />
      <Text size="sm" c="dark.6">
        {children}
      </Text>
    </Group>
  );
}

function CourseRow({ course, showOwner }: { course: StudioCourse; showOwner: boolean }) {
  const editUrl = `/studio/courses/${course.id}`;
  return (
    <Card component="article" padding="md" aria-labelledby={`course-${course.id}-title`} data-testid="studio-course">
      <Group justify="space-between" align="flex-start" gap="md" wrap="wrap">
        <Box style={{ flex: '1 1 280px', minWidth: 0 }}>
          <Group gap="xs" wrap="wrap" mb={4}>
            <CourseStatusBadge course={course} />
            <Text size="xs" c="dimmed" tt="capitalize">
              {course.level}
            </Text>
          </Group>
          <Title order={2} size="h3" id={`course-${course.id}-title`} style={{ overflowWrap: 'anywhere' }}>
            <Anchor component={Link} to={editUrl} c="dark.8" underline="hover" inherit>
              {course.title}
            </Anchor>
          </Title>
          {course.subtitle && (
            <Text size="sm" c="dimmed" mt={2} lineClamp={2}>
              {course.subtitle}
            </Text>
          )}
          <Group gap="lg" mt="sm" wrap="wrap" style={{ rowGap: 6 }}>
            <Stat icon={IconBook2}>{plural(course.lesson_count, 'lesson')}</Stat>
            {course.total_duration_seconds > 0 && <Stat icon={IconClock}>{formatTotalDuration(course.total_duration_seconds)}</Stat>}
            <Stat icon={IconUsers}>{plural(course.enrollment_count, 'student')}</Stat>
            <Stat icon={IconCoinRupee}>{formatCoursePrice(course.price)}</Stat>
          </Group>
          <Text size="xs" c="dimmed" mt="sm">
            {showOwner ? `By ${course.instructor.name} · ` : ''}Updated {formatDate(course.updated_at)}
          </Text>
        </Box>
        <Button
          component={Link}
          to={editUrl}
          variant="light"
          leftSection={<IconPencil size={16} aria-hidden />}
          aria-label={`Edit ${course.title}`}
        >
          Edit
        </Button>
      </Group>
    </Card>
  );
}

function LoadingRows() {
  return (
    <Stack gap="md" aria-hidden>
      {Array.from({ length: 3 }, (_, i) => (
        <Card key={i} padding="md">
          <Skeleton height={14} width={70} radius="xl" />
          <Skeleton height={20} width="55%" mt="sm" />
          <Skeleton height={12} width="80%" mt="sm" />
          <Skeleton height={12} width="40%" mt="sm" />
        </Card>
      ))}
    </Stack>
  );
}

function FirstCourseInvite() {
  return (
    <Card p={{ base: 'md', sm: 'xl' }} data-testid="studio-empty">
      <EmptyState
        bare
        icon={IconSchool}
        title="Create your first course"
        action={
          <Button component={Link} to="/studio/courses/new" size="md" leftSection={<IconPlus size={18} aria-hidden />}>
            Create your first course
          </Button>
        }
      >
        You haven't made a course yet. It takes three steps, and nothing is public until you publish it.
      </EmptyState>
      <List type="ordered" spacing="xs" size="sm" maw={420} mx="auto" mt="xs" mb="md">
        <List.Item>Describe the course and set its price in rupees, or make it free.</List.Item>
        <List.Item>Add lessons, grouped into sections, and classwork for your students.</List.Item>
        <List.Item>Publish it to the catalog when it's ready.</List.Item>
      </List>
    </Card>
  );
}

/** /studio: the courses the teacher owns (every course, for an admin). */
export function StudioPage() {
  usePageTitle('Studio');
  const { user } = useSession();
  const [sort, setSort] = useState<StudioSort>('updated');
  const [page, setPage] = useState(1);
  const params = { sort, page, per_page: PER_PAGE };
  const query = useStudioCourses(params);
  const isAdmin = user?.role === 'admin';
  const total = query.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="md">
        <div>
          <Title order={1}>Studio</Title>
          <Text c="dimmed" mt={6}>
            {isAdmin ? 'Every course on Pathshala. As an admin you can edit any of them.' : 'Create your courses, add lessons and classwork, and grade your students.'}
          </Text>
        </div>
        <Button component={Link} to="/studio/courses/new" leftSection={<IconPlus size={18} aria-hidden />}>
          New course
        </Button>
      </Group>

      {query.isPending ? (
        <LoadingRows />
      ) : query.isError && !query.data ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't load your courses" />
      ) : total === 0 ? (
        <FirstCourseInvite />
      ) : (
        <Stack gap="md">
          <Group justify="space-between" align="flex-end" gap="sm">
            <Text size="sm" c="dimmed" aria-live="polite">
              {isAdmin ? plural(total, 'course') : `You have ${plural(total, 'course')}`}
            </Text>
            {total > 1 && (
            <NativeSelect
              label="Sort by"
              size="sm"
              value={sort}
              onChange={(e) => {
                setSort(e.currentTarget.value as StudioSort);
                setPage(1);
              }}
              data={[
                { value: 'updated', label: 'Recently updated' },
                { value: 'title', label: 'Title (A–Z)' },
              ]}
              w={200}
            />
            )}
          </Group>
          {query.isError && <QueryError error={query.error} onRetry={() => void query.refetch()} title="Couldn't refresh your courses" />}
          <Stack gap="md" style={{ opacity: query.isPlaceholderData ? 0.6 : 1 }} aria-busy={query.isFetching}>
            {query.data?.items.map((course) => <CourseRow key={course.id} course={course} showOwner={isAdmin} />)}
          </Stack>
          {pages > 1 && (
            <Group justify="center">
              <Pagination
                total={pages}
                value={page}
                onChange={setPage}
                getControlProps={(control) => ({ 'aria-label': `${control} page` })}
                getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
              />
            </Group>
          )}
        </Stack>
      )}
    </Stack>
  );
}
