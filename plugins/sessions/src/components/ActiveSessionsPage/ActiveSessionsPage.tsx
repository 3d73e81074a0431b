import {
  Content,
  ContentHeader,
  Header,
  Page,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  connectorReadPermission,
  userOffboardPermission,
} from '@active-sessions/plugin-sessions-common';
import { usePermission } from '@backstage/plugin-permission-react';
import { useCallback, useMemo, useState } from 'react';
import { useLocation, useNavigate, useResolvedPath } from 'react-router-dom';
import { useSessionStats } from '../../hooks/useSessionStats';
import { useGrantStats } from '../../hooks/useGrantStats';
import { useCapabilities } from '../../hooks/useCapabilities';
import { useReloadOnChange } from '../../hooks/useReloadOnChange';
import { EndAllSessionsDialog } from '../EndAllSessionsDialog/EndAllSessionsDialog';
import { SessionStatsRow } from '../SessionStatsRow/SessionStatsRow';
import { SessionLimitsNote } from '../SessionLimitsNote/SessionLimitsNote';
import { IdleWarningBanner } from '../IdleWarningBanner/IdleWarningBanner';
import { FlaggedSessionsBanner } from '../FlaggedSessionsBanner/FlaggedSessionsBanner';
import { StepUpDialog } from '../StepUpDialog/StepUpDialog';
import { sessionsPageTabs } from './sessionsPageTabs';

/**
 * The Active Sessions page: who has access right now, from where, and how to
 * cut it.
 */
export function ActiveSessionsPage() {
  // One counter drives every reload: Refresh, and anything that ended sessions.
  const [reloadKey, setReloadKey] = useState(0);
  const reload = useCallback(() => setReloadKey(key => key + 1), []);
  // Changes elsewhere (a connector, the sweep, another tab) reload it too.
  useReloadOnChange(reload);
  const { stats, error: statsError } = useSessionStats(reloadKey);
  const { grantStats, error: grantError } = useGrantStats(reloadKey);
  const openCount = stats ? stats.active + stats.idle : 0;

  // Whose lists offer "Everyone I may see": the policy's say, via the backend.
  const { readsOthersSessions, readsOthersGrants } = useCapabilities();
  const { allowed: watchesConnectors } = usePermission({
    permission: connectorReadPermission,
  });
  const { allowed: offboards } = usePermission({
    permission: userOffboardPermission,
  });
  const tabs = useMemo(
    () =>
      sessionsPageTabs.filter(
        candidate =>
          !candidate.requires ||
          (candidate.requires === 'connectors' && watchesConnectors) ||
          (candidate.requires === 'offboarding' && offboards),
      ),
    [watchesConnectors, offboards],
  );
  // Each tab is a path under the page (`/sessions/history?reported=true`),
  // so links and the back button open it; the first tab is the page itself.
  const basePath = useResolvedPath('.').pathname.replace(/\/$/, '');
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const tabInPath = pathname.slice(basePath.length).split('/')[1];
  const tab = tabs.find(candidate => candidate.id === tabInPath) ?? tabs[0];
  const openTab = (id: string) =>
    navigate(id === tabs[0].id ? basePath || '/' : `${basePath}/${id}`);
  const [endAllOpen, setEndAllOpen] = useState(false);

  return (
    <Page themeId="tool">
      <Header
        title="Active Sessions"
        subtitle="Who has access right now, from where, and how to cut it"
      />
      <Content>
        {/* The header sums up everything the person holds; each tab's own
            actions are on that tab. */}
        <ContentHeader title="Your access">
          <Button
            variant="outlined"
            startIcon={<RefreshIcon />}
            onClick={reload}
          >
            Refresh
          </Button>
        </ContentHeader>
        <SessionStatsRow
          stats={stats}
          error={statsError}
          grantStats={grantStats}
          grantError={grantError}
        />
        <SessionLimitsNote />
        <FlaggedSessionsBanner
          reloadKey={reloadKey}
          onEndAll={() => setEndAllOpen(true)}
        />
        <IdleWarningBanner reloadKey={reloadKey} />
        <Box mt={3}>
          <Tabs
            value={tab.id}
            onChange={(_event, id: string) => openTab(id)}
            indicatorColor="primary"
            textColor="primary"
            aria-label="Session views"
          >
            {tabs.map(candidate => (
              <Tab
                key={candidate.id}
                value={candidate.id}
                label={candidate.label}
                id={`sessions-tab-${candidate.id}`}
                aria-controls={`sessions-tabpanel-${candidate.id}`}
              />
            ))}
          </Tabs>
          <Box
            role="tabpanel"
            id={`sessions-tabpanel-${tab.id}`}
            aria-labelledby={`sessions-tab-${tab.id}`}
            pt={2}
          >
            {/* keyed so each tab starts with its own filters */}
            <Box key={tab.id}>
              {tab.render({
                reloadKey,
                onSessionsChanged: reload,
                seesOthersSessions: readsOthersSessions,
                seesOthersGrants: readsOthersGrants,
                openCount,
                onEndAll: () => setEndAllOpen(true),
              })}
            </Box>
          </Box>
        </Box>
        {/* Opens by itself when an action needs a fresh code. */}
        <StepUpDialog />
        <EndAllSessionsDialog
          open={endAllOpen}
          openCount={openCount}
          onClose={() => setEndAllOpen(false)}
          onEnded={() => {
            setEndAllOpen(false);
            reload();
          }}
        />
      </Content>
    </Page>
  );
}
