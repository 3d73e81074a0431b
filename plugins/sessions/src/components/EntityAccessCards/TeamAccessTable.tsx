import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { OffboardPreview } from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import { grantKindLabel } from '../GrantsTable/grantKindLabel';
import { RowButton, RowCheckbox } from '../RowControls/RowControls';
import { StackedText } from '../SessionsTable/StackedText';
import { PLAIN_TABLE_OPTIONS } from '../tableOptions';
import { SelectionState } from '../../hooks/useSelection';

const sum = (items: Array<{ count: number }>) =>
  items.reduce((total, item) => total + item.count, 0);

/**
 * A team's members with the open sessions and active grants each holds (as
 * far as the viewer may see), ticks for those the viewer may offboard, and
 * each one's full list a click away.
 */
export function TeamAccessTable(props: {
  members: OffboardPreview[];
  selection: SelectionState;
  onDetails: (userRef: string) => void;
}) {
  const { selection } = props;
  const columns: TableColumn<OffboardPreview>[] = [
    {
      title: (
        <RowCheckbox
          size="small"
          checked={selection.allSelected}
          indeterminate={selection.someSelected && !selection.allSelected}
          onChange={selection.toggleAll}
          inputProps={{ 'aria-label': 'Select everyone you may offboard' }}
        />
      ),
      width: '48px',
      render: person =>
        person.mayOffboard && (
          <RowCheckbox
            size="small"
            checked={selection.isSelected(person.userRef)}
            onChange={() => selection.toggle(person.userRef)}
            inputProps={{ 'aria-label': `Select ${person.userRef}` }}
          />
        ),
    },
    {
      title: 'Person',
      render: person => (
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <EntityRefLink entityRef={person.userRef} />
          {person.locked && <Chip size="small" label="Locked" />}
        </Box>
      ),
    },
    {
      title: 'Open sessions',
      render: person => (
        <StackedText
          primary={sum(person.sessions)}
          secondary={person.sessions
            .map(s => `${s.resourceName} × ${s.count}`)
            .join(', ')}
        />
      ),
    },
    {
      title: 'Active grants',
      render: person => (
        <StackedText
          primary={sum(person.grants)}
          secondary={person.grants
            .map(g => `${grantKindLabel(g.kind)} × ${g.count}`)
            .join(', ')}
        />
      ),
    },
    {
      title: 'Actions',
      align: 'right',
      render: person =>
        sum(person.sessions) + sum(person.grants) > 0 && (
          <RowButton
            size="small"
            variant="outlined"
            aria-label={`What ${person.userRef} holds`}
            onClick={() => props.onDetails(person.userRef)}
          >
            Details
          </RowButton>
        ),
    },
  ];
  return (
    <Table<OffboardPreview>
      options={PLAIN_TABLE_OPTIONS}
      columns={columns}
      // Flat inside the card: no second shadow.
      style={{ boxShadow: 'none' }}
      data={props.members}
      localization={{ body: { emptyDataSourceMessage: 'No members.' } }}
    />
  );
}
