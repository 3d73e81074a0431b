import { TableColumn } from '@backstage/core-components';
import {
  Session,
  durationBetween,
  formatDuration,
} from '@active-sessions/plugin-sessions-common';
import Button from '@material-ui/core/Button';
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
 * The columns of a session table. Open lists end with an End button; history
 * lists end with how and when each session ended.
 */
export function sessionColumns(options: {
  mode: SessionListView['mode'];
  /** Lists of several people's sessions say whose each one is. */
  showPerson?: boolean;
  onEnd: (session: Session) => void;
}): TableColumn<Session>[] {
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
      title: 'Duration',
      width: '220px',
      cellStyle: NO_WRAP,
      render: session => (
        <StackedText
          primary={formatDuration(
            durationBetween(session.startedAt, session.endedAt),
          )}
          secondary={`Started ${formatInstant(session.startedAt)}`}
        />
      ),
    },
    {
      title: 'Location',
      render: session => session.location ?? 'Unknown',
    },
    {
      title: 'Status',
      width: '190px',
      render: session => <SessionStatusChip session={session} />,
    },
  ];

  if (options.mode === 'history') {
    return [
      ...common,
      {
        title: 'Ended',
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
    ];
  }

  return [
    ...common,
    {
      title: 'Actions',
      align: 'right',
      width: '110px',
      render: session =>
        isOpen(session) && (
          <Button
            size="small"
            variant="outlined"
            color="secondary"
            aria-label={`End session on ${session.resourceName}`}
            onClick={() => options.onEnd(session)}
          >
            End
          </Button>
        ),
    },
  ];
}
