import { act, renderHook, waitFor } from '@testing-library/react';
import { KeysetPage, useKeysetPages } from './useKeysetPages';

interface Request {
  sort: string;
  cursor?: string;
}

/** A backend whose answers the test releases one by one. */
function controlledBackend() {
  const asked: Request[] = [];
  const waiting: Array<(page: KeysetPage<{ id: string }>) => void> = [];
  const fetchPage = (request: Request) => {
    asked.push(request);
    return new Promise<KeysetPage<{ id: string }>>(resolve =>
      waiting.push(resolve),
    );
  };
  const answer = (page: KeysetPage<{ id: string }>) =>
    act(async () => waiting.shift()!(page));
  return { asked, fetchPage, answer };
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
});
