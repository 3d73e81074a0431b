import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  Session,
  durationBetween,
  formatDuration,
} from '@internal/plugin-sessions-common';
import { useEffect, useState } from 'react';
import { sessionsApiRef } from '../../api';
import { ConfirmEndDialog } from '../ConfirmEndDialog/ConfirmEndDialog';
import { resourceTypeLabel } from '../SessionsTable/resourceTypeLabel';

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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  // Keep the last session so the text does not vanish while the dialog closes.
  const [shown, setShown] = useState<Session | undefined>(session);

  useEffect(() => {
    if (session) {
      setShown(session);
      setError(undefined);
    }
  }, [session]);

  const endSession = async () => {
    if (!session) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const ended = await sessionsApi.endSession(session.id);
      alertApi.post({
        message: `Ended your session on ${session.resourceName}.`,
        severity: 'success',
        display: 'transient',
      });
      onEnded(ended);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfirmEndDialog
      open={Boolean(session)}
      title="End this session?"
      description={
        shown && (
          <>
            Your {resourceTypeLabel(shown.resourceType)} session on{' '}
            <strong>{shown.resourceName}</strong>
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
      onConfirm={endSession}
    />
  );
}
