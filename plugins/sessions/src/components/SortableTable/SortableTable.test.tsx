import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SortableTable } from './SortableTable';
import { PLAIN_TABLE_OPTIONS } from '../tableOptions';
import { SortSpec } from './tableSort';

const columns = [
  { title: 'Name', field: 'name' },
  { title: 'Count', field: 'count', type: 'numeric' as const },
];
const spec: SortSpec<'name' | 'count'> = {
  fields: { name: 'asc', count: 'desc' },
  default: { field: 'name', order: 'asc' },
};

describe('SortableTable', () => {
  it('names its reload spinner, so a screen reader says what it is', async () => {
    await renderInTestApp(
      <SortableTable
        columns={columns}
        data={[{ name: 'a', count: 1 }]}
        isLoading
        options={PLAIN_TABLE_OPTIONS}
        spec={spec}
        onSortChange={() => {}}
      />,
    );
    expect(
      screen.getByRole('progressbar', { name: 'Refreshing the list' }),
    ).toBeInTheDocument();
    // The rows stay readable under it.
    expect(screen.getByText('a')).toBeInTheDocument();
  });

  it('reports a header click as the next sort and marks the sorted column', async () => {
    const onSortChange = jest.fn();
    await renderInTestApp(
      <SortableTable
        columns={columns}
        data={[{ name: 'a', count: 1 }]}
        options={PLAIN_TABLE_OPTIONS}
        spec={spec}
        sort={{ field: 'name', order: 'asc' }}
        onSortChange={onSortChange}
      />,
    );
    expect(
      screen.getByRole('columnheader', { name: /Name, sorted ascending/ }),
    ).toHaveAttribute('aria-sort', 'ascending');
    await userEvent.click(screen.getByRole('button', { name: /Name/ }));
    expect(onSortChange).toHaveBeenCalledWith({ field: 'name', order: 'desc' });
  });
});
