import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { ReactNode } from 'react';
import { ConnectorsTable } from '../ConnectorsTable/ConnectorsTable';
import { OffboardPanel } from '../OffboardPanel/OffboardPanel';
import { PortalSignInsPanel } from '../PortalSignIns/PortalSignInsPanel';
import { TwoFactorCard } from '../TwoFactorCard/TwoFactorCard';
import { IdleTimeoutCard } from '../IdleTimeoutCard/IdleTimeoutCard';
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
  /** The policy lets the caller read others' sessions: lists offer them. */
  seesOthersSessions: boolean;
  /** The policy lets the caller read others' grants: lists offer them. */
  seesOthersGrants: boolean;
  /** The caller's open sessions, for End All. */
  openCount: number;
  /** Opens the page's End All dialog (also opened by the flagged banner). */
  onEndAll: () => void;
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
    render: context => (
      <>
        <Box display="flex" justifyContent="flex-end" mb={2}>
          <Button
            variant="contained"
            color="secondary"
            disabled={context.openCount === 0}
            onClick={context.onEndAll}
          >
            End All Sessions
          </Button>
        </Box>
        <SessionsTable
          view={openSessionsView}
          reloadKey={context.reloadKey}
          onSessionsChanged={context.onSessionsChanged}
          seesOthers={context.seesOthersSessions}
        />
      </>
    ),
  },
  {
    id: 'device-admin',
    label: 'Device Admin',
    render: context => (
      <GrantsTable
        view={deviceAdminGrantsView}
        reloadKey={context.reloadKey}
        onSessionsChanged={context.onSessionsChanged}
        seesOthers={context.seesOthersGrants}
      />
    ),
  },
  {
    id: 'timed-access',
    label: 'Timed Access',
    render: context => (
      <GrantsTable
        view={timedAccessGrantsView}
        reloadKey={context.reloadKey}
        onSessionsChanged={context.onSessionsChanged}
        seesOthers={context.seesOthersGrants}
      />
    ),
  },
  {
    id: 'history',
    label: 'History',
    render: context => (
      <SessionsTable
        view={sessionHistoryView}
        reloadKey={context.reloadKey}
        onSessionsChanged={context.onSessionsChanged}
        seesOthers={context.seesOthersSessions}
      />
    ),
  },
  {
    id: 'portal-sign-ins',
    label: 'Portal sign-ins',
    render: context => (
      <PortalSignInsPanel
        reloadKey={context.reloadKey}
        onSessionsChanged={context.onSessionsChanged}
      />
    ),
  },
  {
    id: 'two-factor',
    label: 'Two-factor',
    render: () => <TwoFactorCard />,
  },
  {
    id: 'idle-timeout',
    label: 'Idle timeout',
    render: () => <IdleTimeoutCard />,
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
