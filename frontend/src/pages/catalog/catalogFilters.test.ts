import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, readFilters, toApiParams, writeFilters } from './catalogFilters';

const read = (qs: string) => readFilters(new URLSearchParams(qs));

describe('catalog filters in the URL', () => {
  it('reads every filter', () => {
    expect(read('q=react&category=Design&level=beginner&price=free&sort=title&page=3')).toEqual({
      q: 'react',
      category: 'Design',
      level: 'beginner',
      price: 'free',
      sort: 'title',
      page: 3,
    });
  });

  it('ignores values the API would refuse', () => {
    expect(read('level=expert&price=cheap&sort=random&page=-2')).toEqual(EMPTY_FILTERS);
    expect(read('page=abc').page).toBe(1);
    expect(read(`q=${'x'.repeat(500)}`).q).toHaveLength(200);
  });

  it('treats "newest" as the default order unless searching', () => {
    expect(read('sort=newest').sort).toBe('');
    expect(read('q=art&sort=newest').sort).toBe('newest');
  });

  it('writes only what is set, so /courses stays plain', () => {
    expect(writeFilters(EMPTY_FILTERS).toString()).toBe('');
    expect(writeFilters({ ...EMPTY_FILTERS, q: '  watercolour ', price: 'free', page: 2 }).toString()).toBe('q=watercolour&price=free&page=2');
  });

  it('round-trips', () => {
    const qs = 'q=yoga+basics&category=Health&level=advanced&price=paid&sort=price_desc&page=4';
    expect(writeFilters(read(qs)).toString()).toBe(qs);
  });

  it('turns filters into API parameters with a fixed page size', () => {
    expect(toApiParams(read('q=art&price=free'))).toEqual({ q: 'art', price: 'free', page: 1, per_page: 12 });
  });
});
