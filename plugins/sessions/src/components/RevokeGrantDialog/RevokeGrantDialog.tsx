import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { AccessGrant } from '@active-sessions/plugin-sessions-common';
import { sessionsApiRef } from '../../api';
import { useConfirmedAction } from '../../hooks/useConfirmedAction';
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
  const { shown, busy, error, confirm } = useConfirmedAction(
    grant,
    async (toRevoke: AccessGrant) => {
      const revoked = await sessionsApi.revokeGrant(toRevoke.id);
      alertApi.post({
        message: `Revoked ${entityRefName(toRevoke.userRef)}'s ${grantPrivilege(
          toRevoke,
        )}.`,
        severity: 'success',
        display: 'transient',
      });
      onRevoked(revoked);
    },
  );

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
      onConfirm={confirm}
    />
  );
}
