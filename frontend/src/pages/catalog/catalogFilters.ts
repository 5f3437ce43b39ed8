import { COURSE_LEVELS, type CatalogParams, type CatalogSort, type CourseLevel, type PriceFilter } from '../../api/courses';

/**
 * The catalog's filters live in the URL (shareable, back/forward work). Empty strings mean
 * "not set"; defaults are left out of the URL so a plain /courses stays plain.
 */
export interface CatalogFilters {
  q: string;
  category: string;
  level: CourseLevel | '';
  price: PriceFilter | '';
  /** '' = the default: best match when searching, newest otherwise. */
  sort: Exclude<CatalogSort, 'relevance'> | '';
  page: number;
}

export const EMPTY_FILTERS: CatalogFilters = { q: '', category: '', level: '', price: '', sort: '', page: 1 };
export const CATALOG_PAGE_SIZE = 12;

const SORTS = ['newest', 'title', 'price', 'price_desc'] as const;
const MAX_Q = 200;

/** Read the filters from a query string, ignoring values the API would refuse. */
export function readFilters(params: URLSearchParams): CatalogFilters {
  const q = (params.get('q') ?? '').trim().slice(0, MAX_Q);
  const level = params.get('level') ?? '';
  const price = params.get('price') ?? '';
  let sort = params.get('sort') ?? '';
  const page = Number.parseInt(params.get('page') ?? '', 10);
  if (!(SORTS as readonly string[]).includes(sort)) sort = '';
  // Without a search, "newest" is already the default order.
  if (sort === 'newest' && !q) sort = '';
  return {
    q,
    category: (params.get('category') ?? '').trim().slice(0, 80),
    level: (COURSE_LEVELS as readonly string[]).includes(level) ? (level as CourseLevel) : '',
    price: price === 'free' || price === 'paid' ? price : '',
    sort: sort as CatalogFilters['sort'],
    page: Number.isFinite(page) && page > 1 ? Math.min(page, 100_000) : 1,
  };
}

/** The query string for a set of filters, in a stable order and without defaults. */
export function writeFilters(filters: CatalogFilters): URLSearchParams {
  const params = new URLSearchParams();
  const q = filters.q.trim();
  if (q) params.set('q', q);
  if (filters.category) params.set('category', filters.category);
  if (filters.level) params.set('level', filters.level);
  if (filters.price) params.set('price', filters.price);
  if (filters.sort && !(filters.sort === 'newest' && !q)) params.set('sort', filters.sort);
  if (filters.page > 1) params.set('page', String(filters.page));
  return params;
}

export function toApiParams(filters: CatalogFilters): CatalogParams {
  const params: CatalogParams = { page: filters.page, per_page: CATALOG_PAGE_SIZE };
  if (filters.q) params.q = filters.q;
  if (filters.category) params.category = filters.category;
  if (filters.level) params.level = filters.level;
  if (filters.price) params.price = filters.price;
  if (filters.sort) params.sort = filters.sort;
  return params;
}

export function hasActiveFilters(filters: CatalogFilters): boolean {
  return Boolean(filters.q || filters.category || filters.level || filters.price);
}

export function sortOptions(searching: boolean): { value: string; label: string }[] {
  return [
    { value: '', label: searching ? 'Best match' : 'Newest' },
    ...(searching ? [{ value: 'newest', label: 'Newest' }] : []),
    { value: 'title', label: 'Title (A–Z)' },
    { value: 'price', label: 'Price: low to high' },
    { value: 'price_desc', label: 'Price: high to low' },
  ];
}
