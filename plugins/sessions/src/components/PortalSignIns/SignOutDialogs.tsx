import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  PORTAL_SOURCE,
  Session,
} from '@active-sessions/plugin-sessions-common';
import { sessionsApiRef } from '../../api';
import { useConfirmedAction } from '../../hooks/useConfirmedAction';
import { ConfirmEndDialog } from '../ConfirmEndDialog/ConfirmEndDialog';

/** Asks before signing one other browser out, then does. */
export function SignOutDeviceDialog(props: {
  signIn?: Session;
  onClose: () => void;
  onDone: () => void;
}) {
  const { signIn, onClose, onDone } = props;
  const sessionsApi = useApi(sessionsApiRef);
  const alertApi = useApi(alertApiRef);
  const { shown, busy, error, confirm } = useConfirmedAction(
    signIn,
    async (toEnd: Session) => {
      await sessionsApi.endSession(toEnd.id);
      alertApi.post({
        message: `Signed out ${toEnd.device ?? 'that browser'}.`,
        severity: 'success',
        display: 'transient',
      });
      onDone();
    },
  );
  return (
    <ConfirmEndDialog
      open={Boolean(signIn)}
      title="Sign out this device?"
      description={`${shown?.device ?? 'This browser'} (${
        shown?.ipAddress ?? 'no IP address'
      }) will be signed out of the portal.`}
      warning="It has to sign in again to use the portal."
      confirmLabel="Sign out"
      busy={busy}
      error={error}
      onCancel={onClose}
      onConfirm={confirm}
    />
  );
}

/** Asks before signing out every browser but this one, then does. */
export function SignOutOthersDialog(props: {
  open: boolean;
  thisSignIn: Session;
  others: number;
  onClose: () => void;
  onDone: () => void;
}) {
  const { open, thisSignIn, others, onClose, onDone } = props;
  const sessionsApi = useApi(sessionsApiRef);
  const alertApi = useApi(alertApiRef);
  const subject = open ? thisSignIn : undefined;
  const { busy, error, confirm } = useConfirmedAction(
    subject,
    async (keep: Session) => {
      const { ended } = await sessionsApi.endAllSessions({
        source: PORTAL_SOURCE,
        exceptId: keep.id,
      });
      alertApi.post({
        message: `Signed out ${ended.length} other ${
          ended.length === 1 ? 'device' : 'devices'
        }.`,
        severity: 'success',
        display: 'transient',
      });
      onDone();
    },
  );
  const devices = `${others} other ${others === 1 ? 'device' : 'devices'}`;
  return (
    <ConfirmEndDialog
      open={open}
      title="Sign out all other devices?"
      description={`Every browser signed in as you except this one (${devices}) will be signed out of the portal. No password change needed.`}
      warning="Unsaved work in the portal on those devices will be lost."
      confirmLabel={`Sign out ${devices}`}
      busy={busy}
      error={error}
      onCancel={onClose}
      onConfirm={confirm}
    />
  );
}
