import { ReactNode } from 'react';
import { SessionsTable } from '../SessionsTable/SessionsTable';
import {
  openSessionsView,
  sessionHistoryView,
} from '../SessionsTable/sessionListViews';

/** What every tab gets from the page so its content stays in step. */
export interface SessionsPageTabContext {
  /** Changes whenever the page asks every list to load again. */
  reloadKey: number;
  /** Tell the page something ended, so lists and stats load again. */
  onSessionsChanged: () => void;
}

/** One tab of the Active Sessions page. */
export interface SessionsPageTab {
  id: string;
  label: string;
  render: (context: SessionsPageTabContext) => ReactNode;
}

/**
 * The tabs of the page, in order. Device-admin and timed-access grants join
 * this list as tabs of their own.
 */
export const sessionsPageTabs: SessionsPageTab[] = [
  {
    id: 'sessions',
    label: 'Sessions',
    render: context => <SessionsTable view={openSessionsView} {...context} />,
  },
  {
    id: 'history',
    label: 'History',
    render: context => <SessionsTable view={sessionHistoryView} {...context} />,
  },
];
