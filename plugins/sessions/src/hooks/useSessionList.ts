import { useApi } from '@backstage/core-plugin-api';
import { ListSessionsRequest, Session } from '@internal/plugin-sessions-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { sessionsApiRef } from '../api';

/** What a session list shows and can do next. */
export interface SessionListState {
  /** Every session loaded so far, in the order the backend returned them. */
  sessions: Session[];
  /** True until the first page for the current request has arrived. */
  loaded: boolean;
  /** A first page (or a reload of it) is on its way. */
  loading: boolean;
  /** The first page failed. */
  error?: Error;
  /** The backend has more pages after the ones loaded. */
  hasMore: boolean;
  loadingMore: boolean;
  /** The last "load more" failed; the loaded pages are still valid. */
  loadMoreError?: Error;
  loadMore: () => void;
}

interface LoadedPages {
  sessions: Session[];
  nextCursor?: string;
  loaded: boolean;
  loading: boolean;
  error?: Error;
  loadingMore: boolean;
  loadMoreError?: Error;
}

/**
 * Keyset-paged list of sessions. Starts again from the first page whenever
 * `request` (keep it memoized) or `reloadKey` changes, and appends pages on
 * `loadMore`. Answers to superseded requests are dropped, so a slow response
 * to an old search never overwrites the current one.
 */
export function useSessionList(
  request: ListSessionsRequest,
  reloadKey: number,
): SessionListState {
  const sessionsApi = useApi(sessionsApiRef);
  const [pages, setPages] = useState<LoadedPages>({
    sessions: [],
    loaded: false,
    loading: true,
    loadingMore: false,
  });
  // Bumped on every fresh start; a response from an older one is ignored.
  const generation = useRef(0);

  useEffect(() => {
    const current = ++generation.current;
    setPages(previous => ({
      ...previous,
      loading: true,
      error: undefined,
      loadingMore: false,
      loadMoreError: undefined,
    }));
    sessionsApi.listSessions(request).then(
      page => {
        if (current === generation.current) {
          setPages({
            sessions: page.items,
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
  }, [sessionsApi, request, reloadKey]);

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
    sessionsApi.listSessions({ ...request, cursor: nextCursor }).then(
      page => {
        if (current === generation.current) {
          setPages(previous => ({
            ...previous,
            sessions: [...previous.sessions, ...page.items],
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
  }, [sessionsApi, request, nextCursor, loadingMore]);

  return {
    sessions: pages.sessions,
    loaded: pages.loaded,
    loading: pages.loading,
    error: pages.error,
    hasMore: Boolean(pages.nextCursor),
    loadingMore: pages.loadingMore,
    loadMoreError: pages.loadMoreError,
    loadMore,
  };
}
