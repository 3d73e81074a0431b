import { AccessGrant } from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import { RowButton } from '../RowControls/RowControls';
import { useGrantTable } from './GrantTableContext';
import { entityRefName } from './entityRefName';

/**
 * A row's buttons: Revoke on every active grant (the backend decides who
 * may), and Give back on the signed-in person's own.
 */
export function GrantRowActions(props: { grant: AccessGrant }) {
  const { grant } = props;
  const { currentUserRef, onRevoke, onGiveBack } = useGrantTable();
  if (grant.status !== 'active') {
    return null;
  }
  const isOwn = grant.userRef.toLocaleLowerCase('en-US') === currentUserRef;
  return (
    <Box display="flex" justifyContent="flex-end" style={{ gap: 8 }}>
      {isOwn && (
        <RowButton
          size="small"
          variant="outlined"
          aria-label={`Give back grant on ${grant.target}`}
          onClick={() => onGiveBack(grant)}
        >
          Give back
        </RowButton>
      )}
      <RowButton
        size="small"
        variant="outlined"
        color="secondary"
        aria-label={`Revoke grant on ${grant.target} for ${entityRefName(
          grant.userRef,
        )}`}
        onClick={() => onRevoke(grant)}
      >
        Revoke
      </RowButton>
    </Box>
  );
}
