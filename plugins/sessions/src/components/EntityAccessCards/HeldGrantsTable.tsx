import { Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  AccessGrant,
  grantRevokePermission,
} from '@active-sessions/plugin-sessions-common';
import { GrantStatusChip } from '../GrantsTable/GrantStatusChip';
import { entityRefName } from '../GrantsTable/entityRefName';
import { grantKindLabel } from '../GrantsTable/grantKindLabel';
import { remainingText } from '../GrantsTable/remainingText';
import { useNow } from '../../hooks/useNow';
import { formatInstant } from '../SessionsTable/formatInstant';
import { RowButton } from '../RowControls/RowControls';
import { StackedText } from '../SessionsTable/StackedText';
import { PLAIN_TABLE_OPTIONS } from '../tableOptions';
import { IfAllowed } from './IfAllowed';

/**
 * One person's active Device Admin and Timed Access grants on their catalog
 * page, with Revoke on the rows the viewer may revoke.
 */
export function HeldGrantsTable(props: {
  grants: AccessGrant[];
  more: boolean;
  onRevoke: (grant: AccessGrant) => void;
}) {
  // Remaining time counts down while the page is open.
  const now = useNow(30_000);
  const columns: TableColumn<AccessGrant>[] = [
    {
      title: 'Privilege',
      render: grant => (
        <StackedText
          primary={<strong>{grant.target}</strong>}
          secondary={[grantKindLabel(grant.kind), grant.reason]
            .filter(Boolean)
            .join(' · ')}
        />
      ),
    },
    {
      title: 'Granted by',
      render: grant => (grant.grantedBy ? entityRefName(grant.grantedBy) : '—'),
    },
    {
      title: 'Remaining',
      render: grant => (
        <StackedText
          primary={remainingText(grant, now)}
          secondary={`Until ${formatInstant(grant.expiresAt)}`}
        />
      ),
    },
    {
      title: 'Status',
      render: grant => <GrantStatusChip grant={grant} />,
    },
    {
      title: 'Actions',
      align: 'right',
      render: grant =>
        grant.status === 'active' && (
          <IfAllowed permission={grantRevokePermission} resourceRef={grant.id}>
            <RowButton
              size="small"
              variant="outlined"
              color="secondary"
              aria-label={`Revoke grant on ${grant.target}`}
              onClick={() => props.onRevoke(grant)}
            >
              Revoke
            </RowButton>
          </IfAllowed>
        ),
    },
  ];
  return (
    <div>
      <Typography variant="h6" component="h3">
        {`Active grants (${props.grants.length}${props.more ? '+' : ''})`}
      </Typography>
      <Table<AccessGrant>
        options={PLAIN_TABLE_OPTIONS}
        columns={columns}
        // Flat inside the card: no second shadow.
        style={{ boxShadow: 'none' }}
        data={props.grants}
        localization={{ body: { emptyDataSourceMessage: 'No active grants.' } }}
      />
    </div>
  );
}
