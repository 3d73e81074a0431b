import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  OffboardResult,
  userOffboardPermission,
} from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import Switch from '@material-ui/core/Switch';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import Skeleton from '@material-ui/lab/Skeleton';
import { useCallback, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { sessionsApiRef } from '../../api';
import { useReloadOnChange } from '../../hooks/useReloadOnChange';
import { useSelection } from '../../hooks/useSelection';
import { OffboardResultList } from '../OffboardPanel/OffboardResultList';
import { PersonHoldingsDialog } from '../OffboardPanel/PersonHoldingsDialog';
import { StepUpDialog } from '../StepUpDialog/StepUpDialog';
import { OffboardPeopleDialog } from './OffboardPeopleDialog';
import { TeamAccessTable } from './TeamAccessTable';
import { useGroupMembers } from './useGroupMembers';

/** The most people one offboarding (or its preview) takes: the API's limit. */
const PER_REQUEST = 50;

/**
 * "Team access" on a Group's catalog page: what each member (and, switched
 * on, each member of the teams below) holds right now, and offboarding of
 * the members ticked. It is for people who may offboard
 * (`sessions.user.offboard`); others are told so.
 */
export function EntityTeamAccessCard() {
  const { entity } = useEntity();
  const sessionsApi = useApi(sessionsApiRef);
  const [withSubTeams, setWithSubTeams] = useState(true);
  const [reloadKey, setReloadKey] = useState(0);
  const reload = useCallback(() => setReloadKey(key => key + 1), []);
  useReloadOnChange(reload);
  const { allowed: offboards, loading: checking } = usePermission({
    permission: userOffboardPermission,
  });

  const members = useGroupMembers(entity, withSubTeams);
  const held = useAsync(async () => {
    if (!offboards || !members.value) return undefined;
    const chunks = [];
    for (let i = 0; i < members.value.length; i += PER_REQUEST) {
      chunks.push(members.value.slice(i, i + PER_REQUEST));
    }
    const previews = await Promise.all(
      chunks.map(chunk => sessionsApi.previewOffboarding(chunk)),
    );
    return previews.flat();
  }, [sessionsApi, offboards, members.value, reloadKey]);

  const selectable = useMemo(
    () => held.value?.filter(p => p.mayOffboard).map(p => p.userRef) ?? [],
    [held.value],
  );
  const selection = useSelection(selectable);
  const tooMany = selection.selectedIds.length > PER_REQUEST;
  const [details, setDetails] = useState<string>();
  const [offboarding, setOffboarding] = useState<string[]>();
  const [results, setResults] = useState<OffboardResult[]>();

  const error = members.error ?? held.error;
  let content;
  if (!checking && !offboards) {
    content = (
      <Typography variant="body2">
        What a team's members hold is shown to people who may offboard them.
        Your own access is on your User page and in Active Sessions.
      </Typography>
    );
  } else if (error) {
    content = (
      <ResponseErrorPanel
        title="Could not load what this team holds"
        error={error}
      />
    );
  } else if (!held.value) {
    content = <Skeleton variant="rect" height={160} />;
  } else {
    content = (
      <TeamAccessTable
        members={held.value}
        selection={selection}
        onDetails={setDetails}
      />
    );
  }

  return (
    <InfoCard
      title="Team access"
      subheader="Open sessions and active grants of each member, as far as you may see"
      action={
        <Tooltip title="Refresh">
          <IconButton aria-label="Refresh team access" onClick={reload}>
            <RefreshIcon />
          </IconButton>
        </Tooltip>
      }
    >
      {/* Only who may offboard sees the members' holdings. */}
      {offboards && (
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          justifyContent="space-between"
          mb={1}
          style={{ gap: 8 }}
        >
          <FormControlLabel
            control={
              <Switch
                checked={withSubTeams}
                onChange={event => setWithSubTeams(event.target.checked)}
                color="primary"
              />
            }
            label="Include sub-teams"
          />
          {tooMany && (
            <Typography variant="body2" color="error">
              At most {PER_REQUEST} people at once.
            </Typography>
          )}
          <Button
            variant="outlined"
            color="secondary"
            disabled={!selection.someSelected || tooMany}
            onClick={() => {
              setResults(undefined);
              setOffboarding(selection.selectedIds);
            }}
          >
            Offboard selected ({selection.selectedIds.length})
          </Button>
        </Box>
      )}
      {results && <OffboardResultList results={results} />}
      {content}
      <PersonHoldingsDialog
        userRef={details}
        onClose={() => setDetails(undefined)}
      />
      <OffboardPeopleDialog
        userRefs={offboarding}
        onClose={() => setOffboarding(undefined)}
        onOffboarded={offboarded => {
          setOffboarding(undefined);
          setResults(offboarded);
          selection.clear();
          reload();
        }}
      />
      {/* Offboarding may ask for a code; the Active Sessions page is not open. */}
      <StepUpDialog />
    </InfoCard>
  );
}
