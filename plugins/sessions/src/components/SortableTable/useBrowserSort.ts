import { useMemo, useState } from 'react';
import {
  SortOrder,
  SortSpec,
  SortValue,
  TableSort,
  compareSortValues,
} from './tableSort';

/** A column sorted in the browser: what it sorts by, and its first order. */
export interface BrowserSortField<T> {
  value: (row: T) => SortValue;
  first: SortOrder;
}

/**
 * Sorts a list the browser holds whole (not one page of a longer one) by
 * the column last clicked, kept while the table is open. `sort` is nothing
 * until then: the rows stay in the order they came in, shown by `initial`
 * when that order is one of the columns'. Equal rows keep that order.
 *
 * Keep `fields` module-level, or memoized.
 */
export function useBrowserSort<T, F extends string>(
  rows: T[],
  fields: Readonly<Record<F, BrowserSortField<T>>>,
  initial?: TableSort<F>,
) {
  const [sort, setSort] = useState<TableSort<F> | undefined>(initial);
  const spec = useMemo<SortSpec<F>>(() => {
    const entries = Object.entries(fields) as Array<[F, BrowserSortField<T>]>;
    const first = Object.fromEntries(
      entries.map(([field, { first: order }]) => [field, order]),
    ) as Record<F, SortOrder>;
    const [defaultField, { first: defaultOrder }] = entries[0];
    return {
      fields: first,
      default: initial ?? { field: defaultField, order: defaultOrder },
    };
  }, [fields, initial]);
  const sorted = useMemo(() => {
    // Still in the order they came in: nothing to sort.
    if (!sort || sort === initial) return rows;
    const { value } = fields[sort.field];
    const direction = sort.order === 'asc' ? 1 : -1;
    return [...rows].sort(
      (a, b) => direction * compareSortValues(value(a), value(b)),
    );
  }, [rows, fields, sort, initial]);
  return { rows: sorted, sort, setSort, spec };
}
