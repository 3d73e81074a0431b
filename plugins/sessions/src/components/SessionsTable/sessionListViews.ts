import {
  ListSessionsRequest,
  LIVE_SESSION_STATUSES,
  SessionSortField,
} from '@active-sessions/plugin-sessions-common';
import { SortSpec } from '../SortableTable/tableSort';

/**
 * One way of listing sessions: which ones, how they may be sorted and in
 * what order they start, and what to say when there are none. `open` lists
 * can end sessions; `history` lists show how they ended.
 */
export interface SessionListView {
  mode: 'open' | 'history';
  request: Pick<ListSessionsRequest, 'status'>;
  /**
   * The backend's sorts this view's columns show, each with the order a
   * first click sorts in; the default is the order the list starts in.
   */
  sort: SortSpec<SessionSortField>;
  emptyTitle: string;
  emptyDescription: string;
}

export const openSessionsView: SessionListView = {
  mode: 'open',
  request: {
    // Ended ones stay until their connector confirms the cut.
    status: [...LIVE_SESSION_STATUSES],
  },
  sort: {
    fields: { resourceName: 'asc', startedAt: 'desc', lastActivityAt: 'desc' },
    default: { field: 'startedAt', order: 'desc' },
  },
  emptyTitle: 'No active sessions',
  emptyDescription:
    'You have no open sessions right now. Sessions on SSH, RDP, web resources and the portal show up here as soon as they start.',
};

export const sessionHistoryView: SessionListView = {
  mode: 'history',
  request: { status: ['disconnected'] },
  // The backend allows sorting by endedAt only for disconnected sessions.
  sort: {
    fields: { resourceName: 'asc', startedAt: 'desc', endedAt: 'desc' },
    default: { field: 'endedAt', order: 'desc' },
  },
  emptyTitle: 'No session history',
  emptyDescription:
    'Sessions that were ended, timed out or closed at their source are kept here.',
};
