import {
  SortSpec,
  compareSortValues,
  nextSort,
  sortFromParams,
  withSortParams,
} from './tableSort';

const spec: SortSpec<'name' | 'startedAt' | 'endedAt'> = {
  fields: { name: 'asc', startedAt: 'desc' },
  default: { field: 'startedAt', order: 'desc' },
};
const params = (query: string) => new URLSearchParams(query);

describe('sortFromParams', () => {
  it.each([
    ['', 'startedAt', 'desc'],
    ['sort=name&order=desc', 'name', 'desc'],
    // A field alone starts the way its first click does.
    ['sort=name', 'name', 'asc'],
    ['sort=name&order=up', 'name', 'asc'],
    ['sort=startedAt', 'startedAt', 'desc'],
    // An order alone turns the default round.
    ['order=asc', 'startedAt', 'asc'],
    // Not offered, or not a field at all: the default, in its order.
    ['sort=endedAt&order=asc', 'startedAt', 'desc'],
    ['sort=toString&order=asc', 'startedAt', 'desc'],
    ['sort=&order=asc', 'startedAt', 'desc'],
  ])('reads "%s" as %s %s', (query, field, order) => {
    expect(sortFromParams(spec, params(query))).toEqual({ field, order });
  });
});

describe('withSortParams', () => {
  it('names a sort other than the default, keeping the other params', () => {
    expect(
      withSortParams(spec, params('flagged=true'), {
        field: 'name',
        order: 'asc',
      }).toString(),
    ).toBe('flagged=true&sort=name&order=asc');
  });

  it('leaves the default out', () => {
    expect(
      withSortParams(spec, params('sort=name&order=asc&all=true'), {
        field: 'startedAt',
        order: 'desc',
      }).toString(),
    ).toBe('all=true');
  });
});

describe('nextSort', () => {
  it('turns the sorted column round, and starts another its own way', () => {
    const byName = { field: 'name', order: 'asc' } as const;
    expect(nextSort(spec, byName, 'name')).toEqual({
      field: 'name',
      order: 'desc',
    });
    expect(nextSort(spec, byName, 'startedAt')).toEqual({
      field: 'startedAt',
      order: 'desc',
    });
    expect(nextSort(spec, undefined, 'name')).toEqual(byName);
  });
});

describe('compareSortValues', () => {
  it('puts nothing first, numbers by size and text as a reader would', () => {
    // (Array.prototype.sort puts undefined last by itself.)
    const values = ['host-10', null, 'Host-2', 'alpha'];
    expect([...values].sort(compareSortValues)).toEqual([
      null,
      'alpha',
      'Host-2',
      'host-10',
    ]);
    expect([3, null, 20, 1].sort(compareSortValues)).toEqual([null, 1, 3, 20]);
    expect(compareSortValues(undefined, 'a')).toBeLessThan(0);
    expect(compareSortValues(null, undefined)).toBe(0);
  });
});
