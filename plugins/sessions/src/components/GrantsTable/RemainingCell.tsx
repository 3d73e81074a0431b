import { AccessGrant } from '@active-sessions/plugin-sessions-common';
import { StackedText } from '../SessionsTable/StackedText';
import { formatInstant } from '../SessionsTable/formatInstant';
import { useGrantTable } from './GrantTableContext';
import { remainingText } from './remainingText';

/** Time left on a grant, counting down with the table's clock. */
export function RemainingCell(props: { grant: AccessGrant }) {
  const { now } = useGrantTable();
  return (
    <StackedText
      primary={remainingText(props.grant, now)}
      secondary={`Until ${formatInstant(props.grant.expiresAt)}`}
    />
  );
}
