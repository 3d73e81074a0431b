import {
  ListSessionsRequest,
  LIVE_SESSION_STATUSES,
} from '@active-sessions/plugin-sessions-common';

/**
 * One way of listing sessions: which ones, in what order, and what to say
 * when there are none. `open` lists can end sessions; `history` lists show
 * how they ended.
 */
export interface SessionListView {
  mode: 'open' | 'history';
  request: Pick<ListSessionsRequest, 'status' | 'sort' | 'order'>;
  emptyTitle: string;
  emptyDescription: string;
}

export const openSessionsView: SessionListView = {
  mode: 'open',
  request: {
    // Ended ones stay until their connector confirms the cut.
    status: [...LIVE_SESSION_STATUSES],
    sort: 'startedAt',
    order: 'desc',
  },
  emptyTitle: 'No active sessions',
  emptyDescription:
    'You have no open sessions right now. Sessions on SSH, RDP, web resources and the portal show up here as soon as they start.',
};

export const sessionHistoryView: SessionListView = {
  mode: 'history',
  // The backend allows sorting by endedAt only for disconnected sessions.
  request: { status: ['disconnected'], sort: 'endedAt', order: 'desc' },
  emptyTitle: 'No session history',
  emptyDescription:
    'Sessions that were ended, timed out or closed at their source are kept here.',
};
