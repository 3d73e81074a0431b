import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EndSessionsResult } from '@internal/plugin-sessions-common';
import { useEffect, useState } from 'react';
import { sessionsApiRef } from '../../api';
import { ConfirmEndDialog } from '../ConfirmEndDialog/ConfirmEndDialog';

const sessionCount = (count: number) =>
  `${count} ${count === 1 ? 'session' : 'sessions'}`;

/**
 * Asks before ending every open session of the person, naming how many will
 * end, then ends them.
 */
export function EndAllSessionsDialog(props: {
  open: boolean;
  /** Active plus idle sessions, as the stats counted them. */
  openCount: number;
  onClose: () => void;
  onEnded: (result: EndSessionsResult) => void;
}) {
  const { open, openCount, onClose, onEnded } = props;
  const sessionsApi = useApi(sessionsApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  useEffect(() => {
    if (open) {
      setError(undefined);
    }
  }, [open]);

  const endAll = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await sessionsApi.endAllSessions();
      alertApi.post({
        message: `Ended ${sessionCount(result.ended.length)}.`,
        severity: 'success',
        display: 'transient',
      });
      onEnded(result);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfirmEndDialog
      open={open}
      title="End all sessions?"
      description={`This will end ${sessionCount(
        openCount,
      )}: every active and idle session you have, on every resource.`}
      warning={`Any unsaved work in ${
        openCount === 1 ? 'this session' : 'these sessions'
      } will be lost.`}
      confirmLabel={`End ${sessionCount(openCount)}`}
      busy={busy}
      error={error}
      onCancel={onClose}
      onConfirm={endAll}
    />
  );
}
