import { useApi } from '@backstage/core-plugin-api';
import {
  AccessGrant,
  ListGrantsRequest,
  isCutPending,
} from '@active-sessions/plugin-sessions-common';
import { useCallback } from 'react';
import { sessionsApiRef } from '../api';
import { KeysetPagesState, useKeysetPages } from './useKeysetPages';
import { usePendingRefresh } from './usePendingRefresh';

/** What a grant list shows and can do next. */
export type GrantListState = Omit<KeysetPagesState<AccessGrant>, 'items'> & {
  /** Every grant loaded so far, in the order the backend returned them. */
  grants: AccessGrant[];
};

/**
 * Keyset-paged list of Device Admin or Timed Access grants. Starts again from
 * the first page whenever `request` (keep it memoized) or `reloadKey` changes.
 */
export function useGrantList(
  request: ListGrantsRequest,
  reloadKey: number,
): GrantListState {
  const sessionsApi = useApi(sessionsApiRef);
  const fetchPage = useCallback(
    (pageRequest: ListGrantsRequest) => sessionsApi.listGrants(pageRequest),
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
      (await sessionsApi.listGrants({ all, user, id: ids, limit: ids.length }))
        .items,
    [sessionsApi, all, user],
  );
  usePendingRefresh(items, fetchMany, state.replaceItems);
  return { ...state, grants: items };
}
