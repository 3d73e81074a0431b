import { useApi } from '@backstage/core-plugin-api';
import {
  ListSessionsRequest,
  Session,
  isCutPending,
} from '@active-sessions/plugin-sessions-common';
import { useCallback } from 'react';
import { sessionsApiRef } from '../api';
import { KeysetPagesState, useKeysetPages } from './useKeysetPages';
import { usePendingRefresh } from './usePendingRefresh';

/** What a session list shows and can do next. */
export type SessionListState = Omit<KeysetPagesState<Session>, 'items'> & {
  /** Every session loaded so far, in the order the backend returned them. */
  sessions: Session[];
};

/**
 * Keyset-paged list of sessions. Starts again from the first page whenever
 * `request` (keep it memoized) or `reloadKey` changes.
 */
export function useSessionList(
  request: ListSessionsRequest,
  reloadKey: number,
): SessionListState {
  const sessionsApi = useApi(sessionsApiRef);
  const fetchPage = useCallback(
    (pageRequest: ListSessionsRequest) => sessionsApi.listSessions(pageRequest),
    [sessionsApi],
  );
  const { items, ...state } = useKeysetPages(
    fetchPage,
    request,
    reloadKey,
    isCutPending,
  );
  // The rows of this list's people, whatever their status now.
  const { all, user } = request;
  const fetchMany = useCallback(
    async (ids: string[]) =>
      (
        await sessionsApi.listSessions({
          all,
          user,
          id: ids,
          limit: ids.length,
        })
      ).items,
    [sessionsApi, all, user],
  );
  usePendingRefresh(items, fetchMany, state.replaceItems);
  return { ...state, sessions: items };
}
