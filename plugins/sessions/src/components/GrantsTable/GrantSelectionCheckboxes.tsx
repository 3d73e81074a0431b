import { AccessGrant } from '@active-sessions/plugin-sessions-common';
import { RowCheckbox } from '../RowControls/RowControls';
import { useGrantTable } from './GrantTableContext';

/** The header checkbox: ticks every listed grant, or clears them all. */
export function SelectAllGrantsCheckbox() {
  const { selection, rowCount } = useGrantTable();
  return (
    <RowCheckbox
      size="small"
      color="primary"
      inputProps={{ 'aria-label': 'Select all grants' }}
      checked={selection.allSelected}
      indeterminate={selection.someSelected && !selection.allSelected}
      disabled={rowCount === 0}
      onChange={selection.toggleAll}
    />
  );
}

/** A row's checkbox, named after the grant's target for screen readers. */
export function SelectGrantCheckbox(props: { grant: AccessGrant }) {
  const { selection } = useGrantTable();
  const { id, target } = props.grant;
  return (
    <RowCheckbox
      size="small"
      color="primary"
      inputProps={{ 'aria-label': `Select grant on ${target}` }}
      checked={selection.isSelected(id)}
      onChange={() => selection.toggle(id)}
    />
  );
}
