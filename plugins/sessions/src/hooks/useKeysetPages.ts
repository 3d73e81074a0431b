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
 */
export function useKeysetPages<
  R extends { cursor?: string },
  T extends { id: string },
>(
  fetchPage: (request: R) => Promise<KeysetPage<T>>,
  request: R,
  reloadKey: number,
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

  useEffect(() => {
    const current = ++generation.current;
    // Live updates reload often: only a new question shows the spinner.
    const sameQuestion =
      started.current?.fetchPage === fetchPage &&
      started.current?.request === request;
    started.current = { fetchPage, request };
    setPages(previous => ({
      ...previous,
      // A new question still on its way keeps its spinner.
      loading: previous.loading || !(sameQuestion && previous.loaded),
      error: undefined,
      loadingMore: false,
      loadMoreError: undefined,
    }));
    fetchPage(request).then(
      page => {
        if (current === generation.current) {
          setPages({
            items: page.items,
            nextCursor: page.nextCursor,
            loaded: true,
            loading: false,
            loadingMore: false,
          });
        }
      },
      error => {
        if (current === generation.current) {
          setPages(previous => ({ ...previous, loading: false, error }));
        }
      },
    );
  }, [fetchPage, request, reloadKey]);

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
          setPages(previous => ({
            ...previous,
            items: [...previous.items, ...page.items],
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
  }, [fetchPage, request, nextCursor, loadingMore]);

  const replaceItems = useCallback((fresher: T[]) => {
    const byId = new Map(fresher.map(item => [item.id, item]));
    setPages(previous => ({
      ...previous,
      items: previous.items.map(item => byId.get(item.id) ?? item),
    }));
  }, []);

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
