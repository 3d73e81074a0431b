import { TableColumn } from '@backstage/core-components';
import {
  AccessGrant,
  approvedDurationMs,
  formatDuration,
} from '@active-sessions/plugin-sessions-common';
import { StackedText } from '../SessionsTable/StackedText';
import { formatInstant } from '../SessionsTable/formatInstant';
import {
  SelectAllGrantsCheckbox,
  SelectGrantCheckbox,
} from './GrantSelectionCheckboxes';
import { GrantRowActions } from './GrantRowActions';
import { GrantStatusChip } from './GrantStatusChip';
import { RemainingCell } from './RemainingCell';
import { entityRefName } from './entityRefName';
import { GrantListView } from './grantListViews';

/** Material-table spreads columns evenly; short values must not break. */
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/**
 * The columns of a grant table: a selection checkbox, who holds what since
 * when and for how much longer, and the Revoke and Give back buttons. Cells
 * that change while the table is open read from the GrantTableContext. The
 * target, Start and Remaining columns sort by the backend's sort their
 * `field` names; the backend has no sort for the others.
 */
export function grantColumns(view: GrantListView): TableColumn<AccessGrant>[] {
  return [
    {
      title: <SelectAllGrantsCheckbox />,
      width: '48px',
      // Only active grants can be revoked, so only they can be ticked.
      render: grant =>
        grant.status === 'active' && <SelectGrantCheckbox grant={grant} />,
    },
    {
      title: 'User',
      width: '130px',
      // The short name; the full entity ref is in the tooltip.
      render: grant => (
        <span title={grant.userRef}>{entityRefName(grant.userRef)}</span>
      ),
    },
    {
      title: view.targetTitle,
      // A column's field is the backend's sort it offers (SortableTable).
      field: 'target',
      render: grant => (
        <StackedText
          primary={<strong>{grant.target}</strong>}
          secondary={grant.targetType}
        />
      ),
    },
    {
      title: 'Granted by',
      render: grant => (grant.grantedBy ? entityRefName(grant.grantedBy) : '—'),
    },
    {
      title: 'Start',
      field: 'startsAt',
      width: '170px',
      cellStyle: NO_WRAP,
      render: grant => formatInstant(grant.startsAt),
    },
    {
      // Least remaining first is soonest to expire first.
      title: 'Remaining',
      field: 'expiresAt',
      width: '190px',
      cellStyle: NO_WRAP,
      render: grant => <RemainingCell grant={grant} />,
    },
    {
      title: 'Approved duration',
      width: '110px',
      render: grant => formatDuration(approvedDurationMs(grant)),
    },
    {
      title: 'Status',
      width: '170px',
      render: grant => <GrantStatusChip grant={grant} />,
    },
    {
      title: 'Actions',
      align: 'right',
      // Room for Give back and Revoke side by side.
      width: '220px',
      cellStyle: NO_WRAP,
      render: grant => <GrantRowActions grant={grant} />,
    },
  ];
}
