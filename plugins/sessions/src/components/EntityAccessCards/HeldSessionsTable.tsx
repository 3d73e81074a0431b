import { Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  Session,
  sessionTerminatePermission,
} from '@active-sessions/plugin-sessions-common';
import { RowButton } from '../RowControls/RowControls';
import { ResourceCell } from '../SessionsTable/ResourceCell';
import { SessionStatusChip } from '../SessionsTable/SessionStatusChip';
import { StackedText } from '../SessionsTable/StackedText';
import { formatInstant } from '../SessionsTable/formatInstant';
import { PLAIN_TABLE_OPTIONS } from '../tableOptions';
import { IfAllowed } from './IfAllowed';

/**
 * One person's open sessions on their catalog page: where from, since when,
 * and End on the rows the viewer may cut.
 */
export function HeldSessionsTable(props: {
  sessions: Session[];
  /** More than these are open: the full list is on the Active Sessions page. */
  more: boolean;
  onEnd: (session: Session) => void;
}) {
  const columns: TableColumn<Session>[] = [
    {
      title: 'Resource',
      render: session => <ResourceCell session={session} />,
    },
    {
      title: 'From',
      render: session => (
        <StackedText
          primary={session.device ?? 'Unknown device'}
          secondary={[session.ipAddress, session.location]
            .filter(Boolean)
            .join(' · ')}
        />
      ),
    },
    {
      title: 'Started',
      render: session => formatInstant(session.startedAt),
    },
    {
      title: 'Status',
      render: session => <SessionStatusChip session={session} />,
    },
    {
      title: 'Actions',
      align: 'right',
      render: session =>
        session.status !== 'terminating' && (
          <IfAllowed
            permission={sessionTerminatePermission}
            resourceRef={session.id}
          >
            <RowButton
              size="small"
              variant="outlined"
              color="secondary"
              aria-label={`End session on ${session.resourceName}`}
              onClick={() => props.onEnd(session)}
            >
              End
            </RowButton>
          </IfAllowed>
        ),
    },
  ];
  return (
    <div>
      <Typography variant="h6" component="h3">
        {`Open sessions (${props.sessions.length}${props.more ? '+' : ''})`}
      </Typography>
      <Table<Session>
        options={PLAIN_TABLE_OPTIONS}
        columns={columns}
        // Flat inside the card: no second shadow.
        style={{ boxShadow: 'none' }}
        data={props.sessions}
        localization={{ body: { emptyDataSourceMessage: 'No open sessions.' } }}
      />
    </div>
  );
}
