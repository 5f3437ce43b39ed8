import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithProviders } from '../test/render';
import { TablePager } from './TablePager';

function Pager({ totalPages }: { totalPages: number }) {
  const [page, setPage] = useState(1);
  return (
    <>
      <TablePager page={page} totalPages={totalPages} onPage={setPage} label="Payments pages" />
      <output aria-label="Current page">{page}</output>
    </>
  );
}

describe('TablePager', () => {
  it('renders nothing when everything fits on one page', () => {
    renderWithProviders(<Pager totalPages={1} />);
    expect(screen.queryByRole('navigation', { name: 'Payments pages' })).toBeNull();
  });

  it('is a labelled navigation whose page buttons work from the keyboard', async () => {
    const user = userEvent.setup();
    renderWithProviders(<Pager totalPages={3} />);
    const nav = screen.getByRole('navigation', { name: 'Payments pages' });
    expect(nav).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Page 1' })).toHaveAttribute('aria-current', 'page');

    screen.getByRole('button', { name: 'Page 2' }).focus();
    await user.keyboard('{Enter}');
    expect(screen.getByLabelText('Current page')).toHaveTextContent('2');
    expect(screen.getByRole('button', { name: 'Page 2' })).toHaveAttribute('aria-current', 'page');

    await user.click(screen.getByRole('button', { name: 'next page' }));
    expect(screen.getByLabelText('Current page')).toHaveTextContent('3');
  });
});
