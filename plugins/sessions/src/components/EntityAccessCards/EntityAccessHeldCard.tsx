import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  AccessGrant,
  OffboardResult,
  Session,
  userLockPermission,
  userOffboardPermission,
} from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import RefreshIcon from '@material-ui/icons/Refresh';
import Skeleton from '@material-ui/lab/Skeleton';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { sessionsApiRef } from '../../api';
import { useCurrentUserRef } from '../../hooks/useCurrentUserRef';
import { useReloadOnChange } from '../../hooks/useReloadOnChange';
import { EndSessionDialog } from '../EndSessionDialog/EndSessionDialog';
import { OffboardResultList } from '../OffboardPanel/OffboardResultList';
import { RevokeGrantDialog } from '../RevokeGrantDialog/RevokeGrantDialog';
import { StepUpDialog } from '../StepUpDialog/StepUpDialog';
import { HeldGrantsTable } from './HeldGrantsTable';
import { HeldSessionsTable } from './HeldSessionsTable';
import { OffboardPeopleDialog } from './OffboardPeopleDialog';

/** How many of each the card lists; the Active Sessions page has them all. */
const SHOWN = 20;

/**
 * "Access held" on a User's catalog page: the person's open sessions and
 * active grants, as far as the viewer's policy lets them read, with End and
 * Revoke where it lets them cut, and Offboard for those who may.
 */
export function EntityAccessHeldCard() {
  const { entity } = useEntity();
  const userRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const sessionsApi = useApi(sessionsApiRef);
  const [reloadKey, setReloadKey] = useState(0);
  const reload = useCallback(() => setReloadKey(key => key + 1), []);
  useReloadOnChange(reload);

  const held = useAsync(async () => {
    const [sessions, grants] = await Promise.all([
      sessionsApi.listSessions({
        user: userRef,
        status: ['active', 'idle', 'terminating'],
        sort: 'lastActivityAt',
        limit: SHOWN,
      }),
      sessionsApi.listGrants({
        user: userRef,
        status: ['active', 'revoking'],
        limit: SHOWN,
      }),
    ]);
    return { sessions, grants };
  }, [sessionsApi, userRef, reloadKey]);

  // Offboarding this person needs both: offboarding at all, and locking
  // them in particular (a manager may lock only the people they manage).
  const { allowed: offboards } = usePermission({
    permission: userOffboardPermission,
  });
  const { allowed: locksThem } = usePermission({
    permission: userLockPermission,
    resourceRef: userRef,
  });
  // Nobody is offered to lock themselves out.
  const isMe = useCurrentUserRef() === userRef;
  const [ending, setEnding] = useState<Session>();
  const [revoking, setRevoking] = useState<AccessGrant>();
  const [offboarding, setOffboarding] = useState<string[]>();
  const [results, setResults] = useState<OffboardResult[]>();

  let content;
  if (held.error) {
    content = (
      <ResponseErrorPanel
        title="Could not load the access this person holds"
        error={held.error}
      />
    );
  } else if (!held.value) {
    content = <Skeleton variant="rect" height={160} />;
  } else {
    const { sessions, grants } = held.value;
    content = (
      <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
        <HeldSessionsTable
          sessions={sessions.items}
          more={Boolean(sessions.nextCursor)}
          onEnd={setEnding}
        />
        <HeldGrantsTable
          grants={grants.items}
          more={Boolean(grants.nextCursor)}
          onRevoke={setRevoking}
        />
      </Box>
    );
  }

  return (
    <InfoCard
      title="Access held"
      subheader="Sessions and elevated grants open right now, as far as you may see"
      action={
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          {offboards && locksThem && !isMe && (
            <Button
              variant="outlined"
              color="secondary"
              onClick={() => {
                setResults(undefined);
                setOffboarding([userRef]);
              }}
            >
              Offboard
            </Button>
          )}
          <Tooltip title="Refresh">
            <IconButton aria-label="Refresh access held" onClick={reload}>
              <RefreshIcon />
            </IconButton>
          </Tooltip>
        </Box>
      }
    >
      {results && <OffboardResultList results={results} />}
      {content}
      <EndSessionDialog
        session={ending}
        onClose={() => setEnding(undefined)}
        onEnded={() => {
          setEnding(undefined);
          reload();
        }}
      />
      <RevokeGrantDialog
        grant={revoking}
        onClose={() => setRevoking(undefined)}
        onRevoked={() => {
          setRevoking(undefined);
          reload();
        }}
      />
      <OffboardPeopleDialog
        userRefs={offboarding}
        onClose={() => setOffboarding(undefined)}
        onOffboarded={offboarded => {
          setOffboarding(undefined);
          setResults(offboarded);
          reload();
        }}
      />
      {/* A critical action here may ask for a code; the page is not open. */}
      <StepUpDialog />
    </InfoCard>
  );
}
