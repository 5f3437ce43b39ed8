import { Group, Pagination } from '@mantine/core';

export interface TablePagerProps {
  /** The current page, 1-based. */
  page: number;
  /** How many pages there are; the pager hides itself when everything fits on one. */
  totalPages: number;
  onPage: (page: number) => void;
  /** What the pager pages through, for screen readers: "Payments pages", "Users pages". */
  label?: string;
  /** The accessible name of one page button. */
  pageLabel?: (page: number) => string;
}

/** The page buttons under an admin table: centred, real buttons (Tab, Enter, Space work), each
 * with an accessible name, inside a labelled navigation landmark. */
export function TablePager({ page, totalPages, onPage, label = 'Pages', pageLabel = (p) => `Page ${p}` }: TablePagerProps) {
  if (totalPages <= 1) return null;
  return (
    <nav aria-label={label}>
      <Group justify="center">
        <Pagination
          total={totalPages}
          value={page}
          onChange={onPage}
          getControlProps={(control) => ({ 'aria-label': `${control} page` })}
          getItemProps={(p) => ({ 'aria-label': pageLabel(p), 'aria-current': p === page ? 'page' : undefined })}
        />
      </Group>
    </nav>
  );
}
