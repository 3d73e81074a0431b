import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { AccessGrant } from '@internal/plugin-sessions-common';
import { useEffect, useState } from 'react';
import { sessionsApiRef } from '../../api';
import { ConfirmEndDialog } from '../ConfirmEndDialog/ConfirmEndDialog';
import { entityRefName } from '../GrantsTable/entityRefName';
import { grantPrivilege, privilegeWords } from '../GrantsTable/grantPrivilege';
import { formatInstant } from '../SessionsTable/formatInstant';

/**
 * Asks before revoking one grant, naming its holder and target, then revokes
 * it. Open while `grant` is set.
 */
export function RevokeGrantDialog(props: {
  grant?: AccessGrant;
  onClose: () => void;
  onRevoked: (grant: AccessGrant) => void;
}) {
  const { grant, onClose, onRevoked } = props;
  const sessionsApi = useApi(sessionsApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  // Keep the last grant so the text does not vanish while the dialog closes.
  const [shown, setShown] = useState<AccessGrant | undefined>(grant);

  useEffect(() => {
    if (grant) {
      setShown(grant);
      setError(undefined);
    }
  }, [grant]);

  const revoke = async () => {
    if (!grant) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const revoked = await sessionsApi.revokeGrant(grant.id);
      alertApi.post({
        message: `Revoked ${entityRefName(grant.userRef)}'s ${grantPrivilege(
          grant,
        )}.`,
        severity: 'success',
        display: 'transient',
      });
      onRevoked(revoked);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const holder = shown ? entityRefName(shown.userRef) : '';
  return (
    <ConfirmEndDialog
      open={Boolean(grant)}
      title="Revoke this grant?"
      description={
        shown && (
          <>
            <strong>{holder}</strong> ({shown.userRef}) holds{' '}
            {privilegeWords(shown.kind)} <strong>{shown.target}</strong> until{' '}
            {formatInstant(shown.expiresAt)}. Revoking ends the grant now,
            before it expires.
          </>
        )
      }
      warning={shown ? `${holder} loses ${grantPrivilege(shown)} at once.` : ''}
      confirmLabel="Revoke grant"
      busy={busy}
      error={error}
      onCancel={onClose}
      onConfirm={revoke}
    />
  );
}
