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
  const fetchOne = useCallback(
    (id: string) => sessionsApi.getGrant(id),
    [sessionsApi],
  );
  usePendingRefresh(items, isCutPending, fetchOne, state.replaceItems);
  return { ...state, grants: items };
}
