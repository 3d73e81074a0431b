import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { AccessGrant } from '@active-sessions/plugin-sessions-common';
import { sessionsApiRef } from '../../api';
import { useConfirmedAction } from '../../hooks/useConfirmedAction';
import { ConfirmEndDialog } from '../ConfirmEndDialog/ConfirmEndDialog';
import { grantPrivilege, privilegeWords } from '../GrantsTable/grantPrivilege';
import { formatInstant } from '../SessionsTable/formatInstant';

/**
 * Asks before the person hands back one of their own grants early, then
 * gives it back. Open while `grant` is set.
 */
export function GiveBackGrantDialog(props: {
  grant?: AccessGrant;
  onClose: () => void;
  onGivenBack: (grant: AccessGrant) => void;
}) {
  const { grant, onClose, onGivenBack } = props;
  const sessionsApi = useApi(sessionsApiRef);
  const alertApi = useApi(alertApiRef);
  const { shown, busy, error, confirm } = useConfirmedAction(
    grant,
    async (toGiveBack: AccessGrant) => {
      const givenBack = await sessionsApi.giveBackGrant(toGiveBack.id);
      alertApi.post({
        message: `Gave back your ${grantPrivilege(toGiveBack)}.`,
        severity: 'success',
        display: 'transient',
      });
      onGivenBack(givenBack);
    },
  );

  return (
    <ConfirmEndDialog
      open={Boolean(grant)}
      title="Give back this grant?"
      description={
        shown && (
          <>
            You hold {privilegeWords(shown.kind)}{' '}
            <strong>{shown.target}</strong> until{' '}
            {formatInstant(shown.expiresAt)}. Giving it back ends the grant now;
            to get it again you need a new approval.
          </>
        )
      }
      warning={shown ? `You lose ${grantPrivilege(shown)} at once.` : ''}
      confirmLabel="Give back grant"
      busy={busy}
      error={error}
      onCancel={onClose}
      onConfirm={confirm}
    />
  );
}
