import { ReactNode } from 'react';
import { ConnectorsTable } from '../ConnectorsTable/ConnectorsTable';
import { OffboardPanel } from '../OffboardPanel/OffboardPanel';
import { PortalSignInsPanel } from '../PortalSignIns/PortalSignInsPanel';
import { TwoFactorCard } from '../TwoFactorCard/TwoFactorCard';
import { GrantsTable } from '../GrantsTable/GrantsTable';
import {
  deviceAdminGrantsView,
  timedAccessGrantsView,
} from '../GrantsTable/grantListViews';
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
  /** The caller looks after others (manager or admin): lists offer theirs. */
  seesOthers: boolean;
}

/** One tab of the Active Sessions page. */
export interface SessionsPageTab {
  id: string;
  label: string;
  /** Shown only to people the policy gives this basic permission. */
  requires?: 'connectors' | 'offboarding';
  render: (context: SessionsPageTabContext) => ReactNode;
}

/** The tabs of the page, in order. */
export const sessionsPageTabs: SessionsPageTab[] = [
  {
    id: 'sessions',
    label: 'Sessions',
    render: context => <SessionsTable view={openSessionsView} {...context} />,
  },
  {
    id: 'device-admin',
    label: 'Device Admin',
    render: context => (
      <GrantsTable view={deviceAdminGrantsView} {...context} />
    ),
  },
  {
    id: 'timed-access',
    label: 'Timed Access',
    render: context => (
      <GrantsTable view={timedAccessGrantsView} {...context} />
    ),
  },
  {
    id: 'history',
    label: 'History',
    render: context => <SessionsTable view={sessionHistoryView} {...context} />,
  },
  {
    id: 'portal-sign-ins',
    label: 'Portal sign-ins',
    render: context => <PortalSignInsPanel {...context} />,
  },
  {
    id: 'two-factor',
    label: 'Two-factor',
    render: () => <TwoFactorCard />,
  },
  {
    id: 'people',
    label: 'People',
    requires: 'offboarding',
    render: context => <OffboardPanel onChanged={context.onSessionsChanged} />,
  },
  {
    id: 'connectors',
    label: 'Connectors',
    requires: 'connectors',
    render: context => <ConnectorsTable reloadKey={context.reloadKey} />,
  },
];
