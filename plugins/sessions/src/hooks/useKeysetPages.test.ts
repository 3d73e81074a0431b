import { act, renderHook, waitFor } from '@testing-library/react';
import { KeysetPage, useKeysetPages } from './useKeysetPages';

interface Request {
  sort: string;
  q?: string;
  cursor?: string;
}

interface Row {
  id: string;
  status?: string;
}

/** A backend whose answers the test releases, oldest question first. */
function controlledBackend() {
  const asked: Request[] = [];
  const waiting: Array<{
    resolve: (page: KeysetPage<Row>) => void;
    reject: (error: Error) => void;
  }> = [];
  const fetchPage = (request: Request) => {
    asked.push(request);
    return new Promise<KeysetPage<Row>>((resolve, reject) =>
      waiting.push({ resolve, reject }),
    );
  };
  const answer = (page: KeysetPage<Row>, index = 0) =>
    act(async () => waiting.splice(index, 1)[0].resolve(page));
  const fail = (error: Error) =>
    act(async () => waiting.shift()!.reject(error));
  return { asked, fetchPage, answer, fail };
}

const rows = (...ids: string[]) => ids.map(id => ({ id }));
const ids = (items: Row[]) => items.map(item => item.id);
const isPending = (item: Row) => item.status === 'terminating';

/** The hook as a list uses it, with its question and reload key as props. */
function renderPages(
  backend: ReturnType<typeof controlledBackend>,
  request: Request = { sort: 'startedAt' },
) {
  return renderHook(
    (props: { request: Request; reloadKey: number }) =>
      useKeysetPages(
        backend.fetchPage,
        props.request,
        props.reloadKey,
        isPending,
      ),
    { initialProps: { request, reloadKey: 0 } },
  );
}

describe('useKeysetPages', () => {
  it('offers no Load more while a new sort is on its way, so no cursor crosses sorts', async () => {
    const backend = controlledBackend();
    const byStart = { sort: 'startedAt' };
    const byResource = { sort: 'resourceName' };
    const { result, rerender } = renderHook(
      ({ request }) => useKeysetPages(backend.fetchPage, request, 0),
      { initialProps: { request: byStart } },
    );
    await backend.answer({ items: [{ id: 'a' }], nextCursor: 'start-1' });
    await waitFor(() => expect(result.current.hasMore).toBe(true));

    rerender({ request: byResource });
    expect(result.current.hasMore).toBe(false);
    act(() => result.current.loadMore());
    expect(backend.asked).toEqual([byStart, byResource]);

    await backend.answer({ items: [{ id: 'b' }], nextCursor: 'resource-1' });
    await waitFor(() => expect(result.current.hasMore).toBe(true));
    act(() => result.current.loadMore());
    expect(backend.asked[2]).toEqual({ ...byResource, cursor: 'resource-1' });
  });

  it('drops a slow answer to an old search, so it never overwrites the current one', async () => {
    const backend = controlledBackend();
    const { result, rerender } = renderPages(backend);
    const bySearch = { sort: 'startedAt', q: 'bastion' };
    rerender({ request: bySearch, reloadKey: 0 });
    // The search is answered first, then the old question's answer lands.
    await backend.answer({ items: rows('bastion-1') }, 1);
    await backend.answer({ items: rows('a', 'b', 'c') });
    expect(ids(result.current.items)).toEqual(['bastion-1']);
    expect(result.current.loading).toBe(false);
  });

  it('keeps the rows on screen through a reload of the same question, with no spinner', async () => {
    const backend = controlledBackend();
    // The same question: the same (memoized) request object.
    const request = { sort: 'startedAt' };
    const { result, rerender } = renderPages(backend, request);
    await backend.answer({ items: rows('a', 'b') });

    rerender({ request, reloadKey: 1 });
    expect(result.current.loading).toBe(false);
    expect(ids(result.current.items)).toEqual(['a', 'b']);
    await backend.answer({ items: rows('b', 'c') });
    expect(ids(result.current.items)).toEqual(['b', 'c']);
  });

  it('shows the spinner and no old rows for a new question, also when a live reload comes during its load', async () => {
    const backend = controlledBackend();
    const { result, rerender } = renderPages(backend);
    await backend.answer({ items: rows('a') });

    const bySearch = { sort: 'startedAt', q: 'b' };
    rerender({ request: bySearch, reloadKey: 0 });
    expect(result.current.loading).toBe(true);
    rerender({ request: bySearch, reloadKey: 1 });
    expect(result.current.loading).toBe(true);
    await backend.answer({ items: rows('b') }, 1);
    expect(result.current.loading).toBe(false);
    expect(ids(result.current.items)).toEqual(['b']);
  });

  it('keeps a row being cut on screen when the reload that confirms it no longer lists it', async () => {
    const backend = controlledBackend();
    // The same question: the same (memoized) request object.
    const request = { sort: 'startedAt' };
    const { result, rerender } = renderPages(backend, request);
    await backend.answer({ items: rows('a', 'b', 'c') });
    // Ended from the page: the row refresh says terminating.
    act(() =>
      result.current.replaceItems([{ id: 'b', status: 'terminating' }]),
    );

    // The connector confirms; the open list no longer has it.
    rerender({ request, reloadKey: 1 });
    await backend.answer({ items: rows('a', 'c') });
    expect(ids(result.current.items)).toEqual(['a', 'b', 'c']);
    // The row refresh shows it confirmed, in place.
    act(() =>
      result.current.replaceItems([{ id: 'b', status: 'disconnected' }]),
    );
    expect(result.current.items[1]).toEqual({
      id: 'b',
      status: 'disconnected',
    });
  });

  it('lets a kept row go with a new search, even when a row refresh lands while it loads', async () => {
    const backend = controlledBackend();
    const { result, rerender } = renderPages(backend);
    await backend.answer({
      items: [{ id: 'b', status: 'terminating' }, { id: 'c' }],
    });

    const bySearch = { sort: 'startedAt', q: 'c' };
    rerender({ request: bySearch, reloadKey: 0 });
    act(() =>
      result.current.replaceItems([{ id: 'b', status: 'terminating' }]),
    );
    await backend.answer({ items: rows('c') });
    expect(ids(result.current.items)).toEqual(['c']);
  });

  it('appends Load more pages, updating a kept row in place rather than listing it twice', async () => {
    const backend = controlledBackend();
    // The same question: the same (memoized) request object.
    const request = { sort: 'startedAt' };
    const { result, rerender } = renderPages(backend, request);
    await backend.answer({
      items: [{ id: 'a', status: 'terminating' }, { id: 'b' }],
    });
    rerender({ request, reloadKey: 1 });
    // 'a' moved down the order: not on the first page any more.
    await backend.answer({ items: rows('b', 'c'), nextCursor: 'after-c' });
    expect(ids(result.current.items)).toEqual(['a', 'b', 'c']);

    act(() => result.current.loadMore());
    expect(backend.asked.at(-1)).toEqual({ ...request, cursor: 'after-c' });
    await backend.answer({
      items: [{ id: 'a', status: 'disconnected' }, { id: 'd' }],
    });
    expect(ids(result.current.items)).toEqual(['a', 'b', 'c', 'd']);
    expect(result.current.items[0].status).toBe('disconnected');
    expect(result.current.hasMore).toBe(false);
  });

  it('drops a Load more answer that lands after a new question, and keeps the pages when Load more fails', async () => {
    const backend = controlledBackend();
    const { result, rerender } = renderPages(backend);
    await backend.answer({ items: rows('a'), nextCursor: 'after-a' });
    act(() => result.current.loadMore());
    // Pressed twice while loading: asked once.
    act(() => result.current.loadMore());
    expect(backend.asked).toHaveLength(2);
    await backend.fail(new Error('backend restarting'));
    expect(result.current.loadMoreError?.message).toBe('backend restarting');
    expect(ids(result.current.items)).toEqual(['a']);
    expect(result.current.hasMore).toBe(true);

    act(() => result.current.loadMore());
    rerender({ request: { sort: 'resourceName' }, reloadKey: 0 });
    await backend.answer({ items: rows('z') });
    await backend.answer({ items: rows('m') });
    expect(ids(result.current.items)).toEqual(['m']);
  });

  it('says the first page failed, and answers again on the next reload', async () => {
    const backend = controlledBackend();
    const { result, rerender } = renderPages(backend);
    await backend.fail(new Error('403 not allowed'));
    expect(result.current.error?.message).toBe('403 not allowed');
    expect(result.current.loading).toBe(false);

    rerender({ request: { sort: 'startedAt' }, reloadKey: 1 });
    expect(result.current.error).toBeUndefined();
    await backend.answer({ items: rows('a') });
    expect(ids(result.current.items)).toEqual(['a']);
  });
});
