import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  Session,
  durationBetween,
  formatDuration,
} from '@active-sessions/plugin-sessions-common';
import { sessionsApiRef } from '../../api';
import { useCurrentUserRef } from '../../hooks/useCurrentUserRef';
import { useConfirmedAction } from '../../hooks/useConfirmedAction';
import { ConfirmEndDialog } from '../ConfirmEndDialog/ConfirmEndDialog';
import { entityRefName } from '../GrantsTable/entityRefName';
import { resourceTypeLabel } from '../SessionsTable/resourceTypeLabel';

/** `Your` for the signed-in person's own session, `jane.doe's` otherwise. */
const whose = (session: Session, me: string | undefined, your: string) =>
  !me || session.userRef.toLocaleLowerCase('en-US') === me
    ? your
    : `${entityRefName(session.userRef)}'s`;

/**
 * Asks before ending one session, then ends it. Open while `session` is set.
 */
export function EndSessionDialog(props: {
  session?: Session;
  onClose: () => void;
  onEnded: (session: Session) => void;
}) {
  const { session, onClose, onEnded } = props;
  const sessionsApi = useApi(sessionsApiRef);
  const alertApi = useApi(alertApiRef);
  const me = useCurrentUserRef();
  const { shown, busy, error, confirm } = useConfirmedAction(
    session,
    async (toEnd: Session) => {
      const ended = await sessionsApi.endSession(toEnd.id);
      alertApi.post({
        message: `Ended ${whose(toEnd, me, 'your')} session on ${
          toEnd.resourceName
        }.`,
        severity: 'success',
        display: 'transient',
      });
      onEnded(ended);
    },
  );

  return (
    <ConfirmEndDialog
      open={Boolean(session)}
      title="End this session?"
      description={
        shown && (
          <>
            {whose(shown, me, 'Your')} {resourceTypeLabel(shown.resourceType)}{' '}
            session on <strong>{shown.resourceName}</strong>
            {shown.device ? ` from ${shown.device}` : ''}, open for{' '}
            {formatDuration(durationBetween(shown.startedAt, shown.endedAt))},
            will be disconnected.
          </>
        )
      }
      warning="Any unsaved work in this session will be lost."
      confirmLabel="End session"
      busy={busy}
      error={error}
      onCancel={onClose}
      onConfirm={confirm}
    />
  );
}
