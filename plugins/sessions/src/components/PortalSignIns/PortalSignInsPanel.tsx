import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Session } from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { RowButton } from '../RowControls/RowControls';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sessionsApiRef } from '../../api';
import { useThisSignIn } from '../../hooks/useThisSignIn';
import { formatInstant } from '../SessionsTable/formatInstant';
import { SessionStatusChip } from '../SessionsTable/SessionStatusChip';
import { StackedText } from '../SessionsTable/StackedText';
import { endReasonLabel } from '../SessionsTable/endReasonLabel';
import { PLAIN_TABLE_OPTIONS } from '../tableOptions';
import { SortableTable } from '../SortableTable/SortableTable';
import { SortSpec, TableSort } from '../SortableTable/tableSort';
import {
  BrowserSortField,
  useBrowserSort,
} from '../SortableTable/useBrowserSort';
import { DeviceCell } from './DeviceCell';
import { endedSignIns, openSignIns } from './portalSignInLists';
import { SignOutDeviceDialog, SignOutOthersDialog } from './SignOutDialogs';

const isOpen = (signIn: Session) =>
  signIn.status === 'active' || signIn.status === 'idle';

const instant = (iso: string | null) => (iso ? Date.parse(iso) : null);

/** What the sign-in tables sort by, in the browser (see SIGN_IN_SORTS). */
type SignInSortField = 'device' | 'startedAt' | 'lastActivityAt' | 'endedAt';

/**
 * Each list is one page of the backend's, in its order. When that page is
 * the whole list (no next page), the browser may sort it: by browser, when
 * signed in, last activity (open ones) or when ended (ended ones).
 */
const SIGN_IN_SORTS: Record<SignInSortField, BrowserSortField<Session>> = {
  device: { first: 'asc', value: signIn => signIn.device },
  startedAt: { first: 'desc', value: signIn => instant(signIn.startedAt) },
  lastActivityAt: {
    first: 'desc',
    value: signIn => instant(signIn.lastActivityAt),
  },
  endedAt: { first: 'desc', value: signIn => instant(signIn.endedAt) },
};
const OPEN_ORDER: TableSort<SignInSortField> = {
  field: 'lastActivityAt',
  order: 'desc',
};
const ENDED_ORDER: TableSort<SignInSortField> = {
  field: 'endedAt',
  order: 'desc',
};
const NOT_SORTABLE: SortSpec<SignInSortField> = {
  fields: {},
  default: OPEN_ORDER,
};

/**
 * One of the panel's tables: sortable in the browser when `complete`,
 * else in the backend's order with no sort buttons, as a part of a longer
 * list sorted here would mislead.
 */
function SignInTable(props: {
  columns: TableColumn<Session>[];
  signIns: Session[];
  complete: boolean;
  backendOrder: TableSort<SignInSortField>;
}) {
  const { columns, signIns, complete, backendOrder } = props;
  const sorted = useBrowserSort(signIns, SIGN_IN_SORTS, backendOrder);
  return (
    <SortableTable<Session, SignInSortField>
      options={PLAIN_TABLE_OPTIONS}
      columns={columns}
      data={complete ? sorted.rows : signIns}
      spec={complete ? sorted.spec : NOT_SORTABLE}
      sort={complete ? sorted.sort : undefined}
      onSortChange={sorted.setSort}
    />
  );
}

/** What a sign-out does here: cut at once, or only at token expiry. */
function EnforcementNote(props: {
  tokenCheck: 'enforced' | 'advisory';
  refreshIntervalMs: number;
}) {
  if (props.tokenCheck === 'advisory') {
    return (
      <Alert severity="warning">
        Signing out other devices is advisory in this portal: its backend does
        not check tokens against Active Sessions, so a signed-out browser keeps
        working until its token expires (up to an hour). Ask your portal team to
        install the sessions token check.
      </Alert>
    );
  }
  return (
    <Typography variant="body2" color="textSecondary">
      A signed-out device loses access to every part of the portal within{' '}
      {Math.ceil(props.refreshIntervalMs / 1000)} seconds.
    </Typography>
  );
}

/**
 * The person's own sign-ins to this portal, one per browser: where from,
 * since when, the one they are using, and signing the others out.
 */
export function PortalSignInsPanel(props: {
  reloadKey: number;
  onSessionsChanged: () => void;
}) {
  const { reloadKey, onSessionsChanged } = props;
  const sessionsApi = useApi(sessionsApiRef);
  const thisSid = useThisSignIn();
  const [signingOut, setSigningOut] = useState<Session>();
  const [signingOutOthers, setSigningOutOthers] = useState(false);

  const state = useAsyncRetry(async () => {
    const [open, ended, status] = await Promise.all([
      sessionsApi.listSessions(openSignIns),
      sessionsApi.listSessions(endedSignIns),
      sessionsApi.getPortalStatus(),
    ]);
    return {
      open: open.items,
      ended: ended.items,
      // No next page: the browser holds the whole list.
      openComplete: !open.nextCursor,
      endedComplete: !ended.nextCursor,
      status,
    };
  }, [sessionsApi, reloadKey]);

  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const { open, ended, openComplete, endedComplete, status } = state.value!;
  const thisSignIn = open.find(signIn => signIn.externalId === thisSid);
  // The table hands its cells copies of the rows: compare ids.
  const isThis = (signIn: Session) => signIn.id === thisSignIn?.id;
  const others = open.filter(signIn => !isThis(signIn) && isOpen(signIn));
  const done = () => {
    setSigningOut(undefined);
    setSigningOutOthers(false);
    state.retry();
    onSessionsChanged();
  };

  const columns: TableColumn<Session>[] = [
    {
      title: 'Device',
      // A column's field names its sort in SIGN_IN_SORTS.
      field: 'device',
      render: signIn => (
        <DeviceCell signIn={signIn} thisDevice={isThis(signIn)} />
      ),
    },
    {
      title: 'Signed in',
      field: 'startedAt',
      render: signIn => formatInstant(signIn.startedAt),
    },
    {
      title: 'Last activity',
      field: 'lastActivityAt',
      render: signIn => formatInstant(signIn.lastActivityAt),
    },
    {
      title: 'Status',
      render: signIn => <SessionStatusChip session={signIn} />,
    },
    {
      title: '',
      align: 'right',
      render: signIn =>
        !isThis(signIn) &&
        isOpen(signIn) && (
          <RowButton
            size="small"
            variant="outlined"
            color="secondary"
            aria-label={`Sign out ${signIn.device ?? 'this browser'}`}
            onClick={() => setSigningOut(signIn)}
          >
            Sign out
          </RowButton>
        ),
    },
  ];

  const history: TableColumn<Session>[] = [
    {
      title: 'Device',
      field: 'device',
      render: signIn => <DeviceCell signIn={signIn} thisDevice={false} />,
    },
    {
      title: 'Signed in',
      field: 'startedAt',
      render: signIn => formatInstant(signIn.startedAt),
    },
    {
      title: 'Ended',
      field: 'endedAt',
      render: signIn => (
        <StackedText
          primary={signIn.endedAt ? formatInstant(signIn.endedAt) : ''}
          secondary={endReasonLabel(signIn.endReason)}
        />
      ),
    },
  ];

  return (
    <>
      <InfoCard
        title="Portal sign-ins"
        subheader="Every browser signed in to this portal as you."
        action={
          <Box m={1}>
            <Button
              variant="contained"
              color="secondary"
              disabled={!thisSignIn || others.length === 0}
              onClick={() => setSigningOutOthers(true)}
            >
              Sign out all other devices
            </Button>
          </Box>
        }
      >
        <Box mb={2}>
          <EnforcementNote {...status} />
        </Box>
        {open.length === 0 ? (
          <EmptyState
            missing="data"
            title="No tracked sign-ins"
            description="This portal's sign-in provider does not report sign-ins to Active Sessions."
          />
        ) : (
          <SignInTable
            columns={columns}
            signIns={open}
            complete={openComplete}
            backendOrder={OPEN_ORDER}
          />
        )}
      </InfoCard>
      {ended.length > 0 && (
        <Box mt={3}>
          <InfoCard title="Ended sign-ins">
            <SignInTable
              columns={history}
              signIns={ended}
              complete={endedComplete}
              backendOrder={ENDED_ORDER}
            />
          </InfoCard>
        </Box>
      )}
      <SignOutDeviceDialog
        signIn={signingOut}
        onClose={() => setSigningOut(undefined)}
        onDone={done}
      />
      {thisSignIn && (
        <SignOutOthersDialog
          open={signingOutOthers}
          thisSignIn={thisSignIn}
          others={others.length}
          onClose={() => setSigningOutOthers(false)}
          onDone={done}
        />
      )}
    </>
  );
}
