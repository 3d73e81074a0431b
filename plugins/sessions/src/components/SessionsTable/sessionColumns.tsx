import { TableColumn } from '@backstage/core-components';
import {
  PORTAL_SOURCE,
  Session,
  durationBetween,
  formatDuration,
} from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import { RowButton } from '../RowControls/RowControls';
import { ReportedChip } from './ReportedChip';
import { ResourceCell } from './ResourceCell';
import { SessionStatusChip } from './SessionStatusChip';
import { StackedText } from './StackedText';
import { endReasonLabel } from './endReasonLabel';
import { formatInstant } from './formatInstant';
import { SessionListView } from './sessionListViews';

/** Material-table spreads columns evenly; short values must not break. */
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** `user:default/jane.doe` → `jane.doe`. */
const personName = (userRef: string) =>
  userRef.slice(userRef.lastIndexOf('/') + 1);

const isOpen = (session: Session) =>
  session.status === 'active' || session.status === 'idle';

/**
 * The columns of a session table. Open lists show the last activity and end
 * with an End button; history lists end with how and when each session
 * ended. Either offers "Not me" on the person's own sessions not yet
 * reported. Resource, Started, Last activity and Ended sort by the backend's
 * sort their `field` names; the backend has no sort for the others.
 */
export function sessionColumns(options: {
  mode: SessionListView['mode'];
  /** Lists of several people's sessions say whose each one is. */
  showPerson?: boolean;
  onEnd: (session: Session) => void;
  /** The signed-in person's entity ref (lower case); unknown: no "Not me". */
  me?: string;
  /** This browser's portal sign-in id: not something to report. */
  thisSignIn?: string;
  onReport: (session: Session) => void;
}): TableColumn<Session>[] {
  const canReport = (session: Session) =>
    Boolean(options.me) &&
    session.userRef === options.me &&
    !session.reportedAt &&
    !(
      session.source === PORTAL_SOURCE &&
      session.externalId === options.thisSignIn
    );
  const notMe = (session: Session) =>
    canReport(session) && (
      <RowButton
        size="small"
        variant="outlined"
        aria-label={`Not me: report session on ${session.resourceName}`}
        style={NO_WRAP}
        onClick={() => options.onReport(session)}
      >
        Not me
      </RowButton>
    );
  const person: TableColumn<Session>[] = options.showPerson
    ? [
        {
          title: 'Person',
          render: session => (
            <span title={session.userRef}>{personName(session.userRef)}</span>
          ),
        },
      ]
    : [];
  const common: TableColumn<Session>[] = [
    ...person,
    {
      title: 'Resource',
      // A column's field is the backend's sort it offers (SortableTable).
      field: 'resourceName',
      render: session => <ResourceCell session={session} />,
    },
    {
      title: 'Device & IP',
      render: session => (
        <StackedText
          primary={session.device ?? 'Unknown device'}
          secondary={session.ipAddress ?? 'No IP address'}
        />
      ),
    },
    {
      // Sorted by when it started: how long it lasted is not a sort the
      // backend offers, and in History is not the same order.
      title: 'Started',
      field: 'startedAt',
      width: '190px',
      cellStyle: NO_WRAP,
      render: session => (
        <StackedText
          primary={formatInstant(session.startedAt)}
          secondary={`for ${formatDuration(
            durationBetween(session.startedAt, session.endedAt),
          )}`}
        />
      ),
    },
    ...(options.mode === 'open'
      ? [
          {
            title: 'Last activity',
            field: 'lastActivityAt',
            width: '170px',
            cellStyle: NO_WRAP,
            render: (session: Session) => formatInstant(session.lastActivityAt),
          },
        ]
      : []),
    {
      title: 'Location',
      render: session => session.location ?? 'Unknown',
    },
    {
      title: 'Status',
      width: '190px',
      render: session => (
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          <SessionStatusChip session={session} />
          <ReportedChip session={session} />
        </Box>
      ),
    },
  ];

  if (options.mode === 'history') {
    return [
      ...common,
      {
        title: 'Ended',
        field: 'endedAt',
        width: '200px',
        cellStyle: NO_WRAP,
        render: session => (
          <StackedText
            primary={endReasonLabel(session.endReason)}
            secondary={
              session.endedAt ? formatInstant(session.endedAt) : undefined
            }
          />
        ),
      },
      {
        title: 'Actions',
        align: 'right',
        width: '110px',
        render: notMe,
      },
    ];
  }

  return [
    ...common,
    {
      title: 'Actions',
      align: 'right',
      width: '190px',
      render: session => (
        <Box display="flex" justifyContent="flex-end" style={{ gap: 8 }}>
          {notMe(session)}
          {isOpen(session) && (
            <RowButton
              size="small"
              variant="outlined"
              color="secondary"
              aria-label={`End session on ${session.resourceName}`}
              onClick={() => options.onEnd(session)}
            >
              End
            </RowButton>
          )}
        </Box>
      ),
    },
  ];
}
