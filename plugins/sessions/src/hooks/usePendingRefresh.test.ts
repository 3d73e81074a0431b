import { act, renderHook } from '@testing-library/react';
import { useState } from 'react';
import { PENDING_REFRESH_MS, usePendingRefresh } from './usePendingRefresh';

const NOW = Date.UTC(2026, 11, 3, 9, 0);

interface Row {
  id: string;
  status: string;
  cutDeadlineAt: string | null;
  cutConfirmedAt: string | null;
  cutFailure: string | null;
}

const row = (id: string, overrides: Partial<Row> = {}): Row => ({
  id,
  status: 'terminating',
  cutDeadlineAt: new Date(NOW + 60_000).toISOString(),
  cutConfirmedAt: null,
  cutFailure: null,
  ...overrides,
});

/** The hook inside a list that replaces its rows with the fresh copies. */
function renderList(
  initial: Row[],
  fetchMany: (ids: string[]) => Promise<Row[]>,
) {
  return renderHook(() => {
    const [rows, setRows] = useState(initial);
    usePendingRefresh(rows, fetchMany, fresh =>
      setRows(current =>
        current.map(item => fresh.find(f => f.id === item.id) ?? item),
      ),
    );
    return rows;
  });
}

/** Lets one interval pass and the answers it asked for settle. */
const tick = () =>
  act(async () => {
    await jest.advanceTimersByTimeAsync(PENDING_REFRESH_MS);
  });

describe('usePendingRefresh', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('asks for every row waiting on its connector in one request a tick, and shows the answers in place', async () => {
    const fetchMany = jest.fn(async (ids: string[]) =>
      ids.map(id =>
        id === 'b'
          ? row(id, { status: 'disconnected', cutConfirmedAt: 'now' })
          : row(id),
      ),
    );
    const { result } = renderList(
      [row('a'), row('b'), row('c', { status: 'active', cutDeadlineAt: null })],
      fetchMany,
    );
    expect(fetchMany).not.toHaveBeenCalled();

    await tick();
    expect(fetchMany.mock.calls).toEqual([[['a', 'b']]]);
    expect(result.current.map(item => item.status)).toEqual([
      'terminating',
      'disconnected',
      'active',
    ]);
    // The confirmed row is not asked about again.
    await tick();
    expect(fetchMany.mock.calls.at(-1)).toEqual([['a']]);
  });

  it('asks nothing about a cut that failed or is past its deadline (Not confirmed): a dead connector is not polled forever', async () => {
    const fetchMany = jest.fn(async (ids: string[]) => ids.map(id => row(id)));
    renderList(
      [
        row('failed', { cutFailure: 'the process survived SIGKILL' }),
        row('late', { cutDeadlineAt: new Date(NOW - 1).toISOString() }),
      ],
      fetchMany,
    );
    await tick();
    await tick();
    expect(fetchMany).not.toHaveBeenCalled();
  });

  it('stops asking once a waiting row passes its deadline with no answer from the connector', async () => {
    const soon = row('a', {
      cutDeadlineAt: new Date(NOW + 2 * PENDING_REFRESH_MS - 1).toISOString(),
    });
    const fetchMany = jest.fn(async () => [{ ...soon }]);
    renderList([soon], fetchMany);
    for (let i = 0; i < 6; i += 1) await tick();
    // Asked at 1.5 s and 3 s; the answer at 3 s finds it past its
    // deadline, and from then on the row is Not confirmed.
    expect(fetchMany).toHaveBeenCalledTimes(2);
  });

  it('keeps the rows as they were when a request fails, and asks again next tick', async () => {
    const fetchMany = jest
      .fn<Promise<Row[]>, [string[]]>()
      .mockRejectedValueOnce(new Error('backend restarting'))
      .mockResolvedValueOnce([row('a', { status: 'disconnected' })]);
    const { result } = renderList([row('a')], fetchMany);
    await tick();
    expect(result.current[0].status).toBe('terminating');
    await tick();
    expect(result.current[0].status).toBe('disconnected');
  });

  it('drops an answer that arrives after the list is gone', async () => {
    let answer: (rows: Row[]) => void = () => {};
    const fetchMany = jest.fn(
      () => new Promise<Row[]>(resolve => (answer = resolve)),
    );
    const onFresh = jest.fn();
    const { unmount } = renderHook(() =>
      usePendingRefresh([row('a')], fetchMany, onFresh),
    );
    await tick();
    unmount();
    await act(async () => answer([row('a', { status: 'disconnected' })]));
    expect(onFresh).not.toHaveBeenCalled();
  });
});
