import { useEffect, useMemo, useState } from 'react';
import { Button, CloseButton, Group, NativeSelect, Pagination, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconFilterOff, IconSchool, IconSearch } from '@tabler/icons-react';
import { useSearchParams } from 'react-router-dom';
import { COURSE_LEVELS, useCatalog, useCategories } from '../../api/courses';
import { CourseCard, CourseCardSkeleton } from '../../components/CourseCard';
import { LEVEL_LABELS } from '../../components/courseFormat';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { usePageTitle } from '../../components/usePageTitle';
import {
  CATALOG_PAGE_SIZE,
  EMPTY_FILTERS,
  hasActiveFilters,
  readFilters,
  sortOptions,
  toApiParams,
  writeFilters,
  type CatalogFilters,
} from './catalogFilters';

const SEARCH_DELAY_MS = 350;

const LEVEL_OPTIONS = [{ value: '', label: 'All levels' }, ...COURSE_LEVELS.map((level) => ({ value: level, label: LEVEL_LABELS[level] }))];
const PRICE_OPTIONS = [
  { value: '', label: 'Any price' },
  { value: 'free', label: 'Free' },
  { value: 'paid', label: 'Paid' },
];

/** Grid columns follow the space the grid has (the app shell's sidebar takes some), not the window. */
const GRID_COLS = { base: 1, '520px': 2, '860px': 3 };

/** Keeps the catalog's filters in the URL: every change is a shareable address. */
function useCatalogFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const update = (patch: Partial<CatalogFilters>, { replace = false }: { replace?: boolean } = {}) => {
    // Any change of filter starts again from page 1.
    setParams((current) => writeFilters({ ...readFilters(current), page: 1, ...patch }), { replace });
  };
  return { filters, update };
}

function resultsSummary(total: number, filters: CatalogFilters): string {
  const count = `${total} ${total === 1 ? 'course' : 'courses'}`;
  return filters.q ? `${count} for “${filters.q}”` : count;
}

export function CatalogPage() {
  usePageTitle('Courses');
  const { filters, update } = useCatalogFilters();
  const catalog = useCatalog(toApiParams(filters));
  const categories = useCategories();

  // The search box: typing is debounced into the URL; the URL (back/forward, "clear") drives the box.
  const [search, setSearch] = useState(filters.q);
  const applySearch = useDebouncedCallback((value: string) => {
    const q = value.trim();
    if (q === filters.q) return;
    // Refining a search replaces the history entry; starting or ending one adds an entry.
    update({ q }, { replace: Boolean(filters.q) && Boolean(q) });
  }, SEARCH_DELAY_MS);
  useEffect(() => {
    setSearch((current) => (current.trim() === filters.q ? current : filters.q));
  }, [filters.q]);

  const categoryOptions = useMemo(() => {
    const names = (categories.data ?? []).map((c) => ({ value: c.name, label: `${c.name} (${c.course_count})` }));
    // A shared link may name a category that has no courses right now: still show it as chosen.
    if (filters.category && !names.some((c) => c.value.toLowerCase() === filters.category.toLowerCase())) {
      names.push({ value: filters.category, label: filters.category });
    }
    return [{ value: '', label: 'All categories' }, ...names];
  }, [categories.data, filters.category]);
  const selectedCategory =
    categoryOptions.find((c) => c.value.toLowerCase() === filters.category.toLowerCase())?.value ?? filters.category;

  const clearAll = () => {
    applySearch.cancel();
    setSearch('');
    update(EMPTY_FILTERS);
  };

  const data = catalog.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / (data.per_page || CATALOG_PAGE_SIZE))) : 1;
  const active = hasActiveFilters(filters);

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Explore courses</Title>
        <Text c="dimmed" mt={6}>
          Video courses from independent teachers. Learn at your own pace, on any device.
        </Text>
      </div>

      <Paper withBorder p={{ base: 'sm', sm: 'md' }} shadow="xs">
        <form
          role="search"
          aria-label="Courses"
          onSubmit={(event) => {
            event.preventDefault();
            applySearch.flush();
          }}
        >
          <TextInput
            size="md"
            aria-label="Search courses"
            placeholder="Search by title, topic or category"
            leftSection={<IconSearch size={18} aria-hidden />}
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
              applySearch(event.currentTarget.value);
            }}
            enterKeyHint="search"
            autoComplete="off"
            maxLength={200}
            rightSection={
              search ? (
                <CloseButton
                  aria-label="Clear search"
                  onClick={() => {
                    applySearch.cancel();
                    setSearch('');
                    update({ q: '' });
                  }}
                />
              ) : null
            }
          />
        </form>
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" verticalSpacing="xs" mt="sm">
          <NativeSelect
            label="Category"
            data={categoryOptions}
            value={selectedCategory}
            onChange={(event) => update({ category: event.currentTarget.value })}
          />
          <NativeSelect
            label="Level"
            data={LEVEL_OPTIONS}
            value={filters.level}
            onChange={(event) => update({ level: event.currentTarget.value as CatalogFilters['level'] })}
          />
          <NativeSelect
            label="Price"
            data={PRICE_OPTIONS}
            value={filters.price}
            onChange={(event) => update({ price: event.currentTarget.value as CatalogFilters['price'] })}
          />
          <NativeSelect
            label="Sort by"
            data={sortOptions(Boolean(filters.q))}
            value={filters.sort}
            onChange={(event) => update({ sort: event.currentTarget.value as CatalogFilters['sort'] })}
          />
        </SimpleGrid>
      </Paper>

      <Group justify="space-between" align="center" gap="xs" mih={30}>
        <Text size="sm" c="dimmed" fw={500} role="status" aria-live="polite" data-testid="catalog-summary">
          {data && !catalog.isError ? resultsSummary(data.total, filters) : catalog.isPending ? 'Loading courses…' : ''}
        </Text>
        {/* The empty state has its own clear button; one is enough. */}
        {active && !(data && data.items.length === 0) && (
          <Button variant="subtle" size="compact-sm" leftSection={<IconFilterOff size={16} aria-hidden />} onClick={clearAll}>
            Clear filters
          </Button>
        )}
      </Group>

      {catalog.isError ? (
        <QueryError error={catalog.error} onRetry={() => void catalog.refetch()} title="Couldn't load courses" />
      ) : !data ? (
        <SimpleGrid type="container" cols={GRID_COLS} spacing="lg" aria-busy="true" aria-label="Loading courses">
          {Array.from({ length: 6 }, (_, i) => (
            <CourseCardSkeleton key={i} />
          ))}
        </SimpleGrid>
      ) : data.items.length === 0 && data.total > 0 ? (
        <EmptyState
          icon={IconSearch}
          title={`There is no page ${filters.page}`}
          testId="catalog-page-empty"
          action={<Button onClick={() => update({ page: 1 })}>Go to the first page</Button>}
        >
          These results fit on {pages} {pages === 1 ? 'page' : 'pages'}.
        </EmptyState>
      ) : data.items.length === 0 ? (
        active ? (
          <EmptyState
            icon={IconFilterOff}
            title={filters.q ? `No courses match “${filters.q}”` : 'No courses match these filters'}
            testId="catalog-empty"
            action={<Button onClick={clearAll}>Clear filters</Button>}
          >
            Try other words, another category or level, or clear the filters to see every course.
          </EmptyState>
        ) : (
          <EmptyState icon={IconSchool} title="No courses yet" testId="catalog-empty">
            Teachers are still preparing their first courses. Check back soon.
          </EmptyState>
        )
      ) : (
        <SimpleGrid
          type="container"
          cols={GRID_COLS}
          spacing="lg"
          aria-busy={catalog.isFetching}
          style={{ opacity: catalog.isPlaceholderData ? 0.6 : 1, transition: 'opacity 150ms' }}
          data-testid="catalog-grid"
        >
          {data.items.map((course) => (
            <CourseCard key={course.id} course={course} to={`/courses/${course.slug}`} />
          ))}
        </SimpleGrid>
      )}

      {data && !catalog.isError && pages > 1 && (
        <Group component="nav" aria-label="Pages of courses" justify="center" mt="sm">
          <Pagination
            total={pages}
            value={Math.min(filters.page, pages)}
            onChange={(page) => {
              update({ page });
              window.scrollTo({ top: 0 });
            }}
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
            getItemProps={(page) => ({ 'aria-label': `Page ${page}` })}
          />
        </Group>
      )}
    </Stack>
  );
}
