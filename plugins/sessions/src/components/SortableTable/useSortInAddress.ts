import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  SortSpec,
  TableSort,
  sortFromParams,
  withSortParams,
} from './tableSort';

/**
 * The sort of a server-sorted table, kept in the address
 * (`?sort=lastActivityAt&order=asc`) so a reload, a copied link and the back
 * button open the list in the same order. The address is the only place it
 * lives: what it says that the table cannot sort by is the table's default,
 * and the default itself leaves the address plain. A new sort replaces the
 * address, as the list's switches do.
 *
 * Keep `spec` module-level: the sort is the same object while it does not
 * change, so it can go into a memoized request.
 */
export function useSortInAddress<F extends string>(
  spec: SortSpec<F>,
): [TableSort<F>, (sort: TableSort<F>) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const { field, order } = sortFromParams(spec, searchParams);
  const sort = useMemo(() => ({ field, order }), [field, order]);
  const setSort = useCallback(
    (next: TableSort<F>) =>
      setSearchParams(params => withSortParams(spec, params, next), {
        replace: true,
      }),
    [spec, setSearchParams],
  );
  return [sort, setSort];
}
