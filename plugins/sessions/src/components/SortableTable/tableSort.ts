/** Which way a column is sorted. */
export type SortOrder = 'asc' | 'desc';

/** What a table is sorted by: one of its sort fields, and which way. */
export interface TableSort<F extends string = string> {
  field: F;
  order: SortOrder;
}

/**
 * How a table may be sorted: each field a column sorts by, with the order
 * a first click on that column sorts in (newest first for times, A to Z for
 * names), and the sort the table starts with. Fields left out cannot be
 * sorted by.
 */
export interface SortSpec<F extends string = string> {
  fields: Readonly<Partial<Record<F, SortOrder>>>;
  default: TableSort<F>;
}

/** The order a first click on the header of `field` sorts in. */
export const firstOrder = <F extends string>(
  spec: SortSpec<F>,
  field: F,
): SortOrder => spec.fields[field] ?? 'asc';

const isOrder = (value: string | null): value is SortOrder =>
  value === 'asc' || value === 'desc';

export const isSortField = <F extends string>(
  spec: SortSpec<F>,
  value: unknown,
): value is F =>
  typeof value === 'string' &&
  Object.prototype.hasOwnProperty.call(spec.fields, value);

/**
 * The sort an address asks for (`?sort=lastActivityAt&order=asc`). A sort
 * the table does not offer falls back to the table's default sort, in its
 * default order; a missing or unknown order to the order the field starts
 * with. An order alone turns the default sort round.
 */
export function sortFromParams<F extends string>(
  spec: SortSpec<F>,
  params: URLSearchParams,
): TableSort<F> {
  const field = params.get('sort');
  const order = params.get('order');
  if (field === null && isOrder(order)) return { ...spec.default, order };
  if (!isSortField(spec, field)) return spec.default;
  if (isOrder(order)) return { field, order };
  return field === spec.default.field
    ? spec.default
    : { field, order: firstOrder(spec, field) };
}

/**
 * The address with `sort` and `order` set to `sort`; both are left out for
 * the table's default, so a plain address stays plain.
 */
export function withSortParams<F extends string>(
  spec: SortSpec<F>,
  params: URLSearchParams,
  sort: TableSort<F>,
): URLSearchParams {
  const next = new URLSearchParams(params);
  if (sort.field === spec.default.field && sort.order === spec.default.order) {
    next.delete('sort');
    next.delete('order');
  } else {
    next.set('sort', sort.field);
    next.set('order', sort.order);
  }
  return next;
}

/**
 * What a click on the header of `field` sorts by: the other way round when
 * the table is sorted by it already, else the order that field starts with.
 */
export function nextSort<F extends string>(
  spec: SortSpec<F>,
  current: TableSort<F> | undefined,
  field: F,
): TableSort<F> {
  if (current?.field === field) {
    return { field, order: current.order === 'asc' ? 'desc' : 'asc' };
  }
  return { field, order: firstOrder(spec, field) };
}

/** A value a list is sorted by in the browser; nothing sorts first. */
export type SortValue = string | number | null | undefined;

/**
 * Compares two sort values ascending: nothing (a time that never happened)
 * before anything, numbers by size, text by the reader's collation with
 * numbers in it compared as numbers (`host-2` before `host-10`).
 */
export function compareSortValues(a: SortValue, b: SortValue): number {
  const aMissing = a === null || a === undefined;
  const bMissing = b === null || b === undefined;
  if (aMissing || bMissing) return Number(bMissing) - Number(aMissing);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, {
    numeric: true,
    sensitivity: 'base',
  });
}
