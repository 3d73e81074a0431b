import { useCallback, useEffect, useRef, useState } from 'react';

/** One page as the backend's list routes return it. */
export interface KeysetPage<T> {
  items: T[];
  nextCursor?: string;
}

/** What a paged list shows and can do next. */
export interface KeysetPagesState<T> {
  /** Every item loaded so far, in the order the backend returned them. */
  items: T[];
  /** True until the first page for the current request has arrived. */
  loaded: boolean;
  /**
   * A first page for a new request is on its way; a reload of the current
   * one (`reloadKey`) keeps showing the loaded rows until it arrives.
   */
  loading: boolean;
  /** The first page failed. */
  error?: Error;
  /** The backend has more pages after the ones loaded. */
  hasMore: boolean;
  loadingMore: boolean;
  /** The last "load more" failed; the loaded pages are still valid. */
  loadMoreError?: Error;
  loadMore: () => void;
  /** Puts fresher copies of loaded items in their places, matched by id. */
  replaceItems: (fresher: T[]) => void;
}

interface LoadedPages<T> {
  items: T[];
  /** What the items answer (the `fetchPage` and `request` they came from). */
  answers?: { fetchPage: unknown; request: unknown };
  nextCursor?: string;
  loaded: boolean;
  loading: boolean;
  error?: Error;
  loadingMore: boolean;
  loadMoreError?: Error;
}

/**
 * A keyset-paged list behind one of the backend's list routes. Starts again
 * from the first page whenever `fetchPage` or `request` (keep both memoized)
 * or `reloadKey` changes, and appends pages on `loadMore`. Answers to
 * superseded requests are dropped, so a slow response to an old search never
 * overwrites the current one.
 *
 * An item seen `isPending` (a cut waiting for its connector) stays on screen
 * through reloads of the same question even once the list no longer matches
 * it, so whoever cut it sees the cut confirmed instead of the row vanishing
 * when the confirmation's live update reloads the list.
 */
export function useKeysetPages<
  R extends { cursor?: string },
  T extends { id: string },
>(
  fetchPage: (request: R) => Promise<KeysetPage<T>>,
  request: R,
  reloadKey: number,
  isPending: (item: T) => boolean = () => false,
): KeysetPagesState<T> {
  const [pages, setPages] = useState<LoadedPages<T>>({
    items: [],
    loaded: false,
    loading: true,
    loadingMore: false,
  });
  // Bumped on every fresh start; a response from an older one is ignored.
  const generation = useRef(0);

  // What the rows on screen answer; a reload of the same keeps them quietly.
  const started = useRef<{ fetchPage: unknown; request: R }>();
  // Ids seen pending while answering the current question.
  const seenPending = useRef(new Set<string>());
  const latestIsPending = useRef(isPending);
  latestIsPending.current = isPending;
  const notePending = useCallback((items: T[]) => {
    for (const item of items) {
      if (latestIsPending.current(item)) seenPending.current.add(item.id);
    }
  }, []);

  useEffect(() => {
    const current = ++generation.current;
    // Live updates reload often: only a new question shows the spinner.
    const sameQuestion =
      started.current?.fetchPage === fetchPage &&
      started.current?.request === request;
    started.current = { fetchPage, request };
    if (!sameQuestion) seenPending.current = new Set();
    setPages(previous => ({
      ...previous,
      // A new question still on its way keeps its spinner.
      loading: previous.loading || !(sameQuestion && previous.loaded),
      // A cursor continues only the question it came from (the server
      // refuses one from another sort): none until the new first page.
      nextCursor: sameQuestion ? previous.nextCursor : undefined,
      error: undefined,
      loadingMore: false,
      loadMoreError: undefined,
    }));
    fetchPage(request).then(
      page => {
        if (current === generation.current) {
          notePending(page.items);
          setPages(previous => ({
            // Only rows answering this same question may stay.
            items:
              previous.answers?.fetchPage === fetchPage &&
              previous.answers?.request === request
                ? keepSeenPending(
                    previous.items,
                    page.items,
                    seenPending.current,
                  )
                : page.items,
            answers: { fetchPage, request },
            nextCursor: page.nextCursor,
            loaded: true,
            loading: false,
            loadingMore: false,
          }));
        }
      },
      error => {
        if (current === generation.current) {
          setPages(previous => ({ ...previous, loading: false, error }));
        }
      },
    );
  }, [fetchPage, request, reloadKey, notePending]);

  const { nextCursor, loadingMore } = pages;
  const loadMore = useCallback(() => {
    if (!nextCursor || loadingMore) {
      return;
    }
    const current = generation.current;
    setPages(previous => ({
      ...previous,
      loadingMore: true,
      loadMoreError: undefined,
    }));
    fetchPage({ ...request, cursor: nextCursor }).then(
      page => {
        if (current === generation.current) {
          notePending(page.items);
          setPages(previous => ({
            ...previous,
            items: appendPage(previous.items, page.items),
            nextCursor: page.nextCursor,
            loadingMore: false,
          }));
        }
      },
      error => {
        if (current === generation.current) {
          setPages(previous => ({
            ...previous,
            loadingMore: false,
            loadMoreError: error,
          }));
        }
      },
    );
  }, [fetchPage, request, nextCursor, loadingMore, notePending]);

  const replaceItems = useCallback(
    (fresher: T[]) => {
      notePending(fresher);
      const byId = new Map(fresher.map(item => [item.id, item]));
      setPages(previous => ({
        ...previous,
        items: previous.items.map(item => byId.get(item.id) ?? item),
      }));
    },
    [notePending],
  );

  return {
    items: pages.items,
    loaded: pages.loaded,
    loading: pages.loading,
    error: pages.error,
    hasMore: Boolean(pages.nextCursor),
    loadingMore: pages.loadingMore,
    loadMoreError: pages.loadMoreError,
    loadMore,
    replaceItems,
  };
}

/**
 * The fresh first page, plus the items on screen that were seen pending but
 * are no longer in it, each back at its old position.
 */
function keepSeenPending<T extends { id: string }>(
  onScreen: T[],
  fresh: T[],
  seenPending: Set<string>,
): T[] {
  const freshIds = new Set(fresh.map(item => item.id));
  const merged = [...fresh];
  onScreen.forEach((item, index) => {
    if (seenPending.has(item.id) && !freshIds.has(item.id)) {
      merged.splice(Math.min(index, merged.length), 0, item);
    }
  });
  return merged;
}

/**
 * Appends a further page; an item kept on screen from an earlier reload that
 * shows up again is updated in place, not listed twice.
 */
function appendPage<T extends { id: string }>(loaded: T[], page: T[]): T[] {
  const byId = new Map(page.map(item => [item.id, item]));
  const updated = loaded.map(item => {
    const fresh = byId.get(item.id);
    byId.delete(item.id);
    return fresh ?? item;
  });
  return [...updated, ...byId.values()];
}
