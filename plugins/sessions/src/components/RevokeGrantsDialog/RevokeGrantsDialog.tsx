import { useApi } from '@backstage/core-plugin-api';
import {
  AccessGrant,
  GrantRevokeResult,
  MAX_REVOKE_IDS,
} from '@active-sessions/plugin-sessions-common';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { sessionsApiRef } from '../../api';
import { ConfirmEndDialog } from '../ConfirmEndDialog/ConfirmEndDialog';
import { entityRefName } from '../GrantsTable/entityRefName';
import { grantCount } from '../GrantsTable/grantPrivilege';

/** Beyond this many, the dialog counts the rest instead of naming them. */
const MAX_LISTED = 10;

/**
 * Asks before revoking the selected grants, naming how many and which, then
 * revokes them in one call (one per hundred, past a hundred). The backend
 * answers per grant, so some may be revoked while others are not;
 * `onRevoked` gets every outcome. Open while `grants` is set.
 */
export function RevokeGrantsDialog(props: {
  grants?: AccessGrant[];
  onClose: () => void;
  onRevoked: (result: GrantRevokeResult) => void;
}) {
  const { grants, onClose, onRevoked } = props;
  const sessionsApi = useApi(sessionsApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  // Keep the last grants so the text does not vanish while the dialog closes.
  const [shown, setShown] = useState<AccessGrant[]>(grants ?? []);

  useEffect(() => {
    if (grants) {
      setShown(grants);
      setError(undefined);
    }
  }, [grants]);

  const revokeAll = async () => {
    if (!grants?.length) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const ids = grants.map(grant => grant.id);
      // The backend takes a bounded number of ids per call; more go in turns.
      // A retry after a failed turn is safe: done ones answer already_ended.
      const results: GrantRevokeResult['results'] = [];
      for (let start = 0; start < ids.length; start += MAX_REVOKE_IDS) {
        const batch = ids.slice(start, start + MAX_REVOKE_IDS);
        results.push(...(await sessionsApi.revokeGrants(batch)).results);
      }
      onRevoked({ results });
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const count = shown.length;
  const unlisted = count - MAX_LISTED;
  return (
    <ConfirmEndDialog
      open={Boolean(grants)}
      title={`Revoke ${grantCount(count)}?`}
      description={`This will end ${grantCount(count)} now, before ${
        count === 1 ? 'its expiry' : 'their expiry'
      }:`}
      details={
        <Typography component="ul" variant="body2" gutterBottom>
          {shown.slice(0, MAX_LISTED).map(grant => (
            <li key={grant.id}>
              <strong>{grant.target}</strong> held by{' '}
              {entityRefName(grant.userRef)}
            </li>
          ))}
          {unlisted > 0 && <li>{`and ${unlisted} more`}</li>}
        </Typography>
      }
      warning={
        count === 1
          ? 'The user loses this privilege at once.'
          : 'The users lose these privileges at once.'
      }
      confirmLabel={`Revoke ${grantCount(count)}`}
      busy={busy}
      error={error}
      onCancel={onClose}
      onConfirm={revokeAll}
    />
  );
}
