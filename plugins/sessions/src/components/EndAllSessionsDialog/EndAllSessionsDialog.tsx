import {
  alertApiRef,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { EndSessionsResult } from '@active-sessions/plugin-sessions-common';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { sessionsApiRef } from '../../api';
import { findThisSignIn } from '../../hooks/findThisSignIn';
import { ConfirmEndDialog } from '../ConfirmEndDialog/ConfirmEndDialog';

const sessionCount = (count: number) =>
  `${count} ${count === 1 ? 'session' : 'sessions'}`;

/**
 * Asks before ending every open session of the person, naming how many will
 * end, then ends them, except this browser's own sign-in to the portal.
 */
export function EndAllSessionsDialog(props: {
  open: boolean;
  /** Active plus idle sessions, as the stats counted them. */
  openCount: number;
  onClose: () => void;
  onEnded: (result: EndSessionsResult) => void;
}) {
  const { open, onClose, onEnded } = props;
  const sessionsApi = useApi(sessionsApiRef);
  const alertApi = useApi(alertApiRef);
  const identityApi = useApi(identityApiRef);
  const thisSignIn = useAsync(
    async () => (open ? findThisSignIn(identityApi, sessionsApi) : undefined),
    [open, identityApi, sessionsApi],
  );
  const keep = thisSignIn.value;
  const keepsOne = keep?.status === 'active' || keep?.status === 'idle';
  const openCount = Math.max(0, props.openCount - (keepsOne ? 1 : 0));
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
      const result = await sessionsApi.endAllSessions({ exceptId: keep?.id });
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
      )}: every active and idle session you have, on every resource${
        keep ? ', except this browser’s sign-in to the portal' : ''
      }.`}
      warning={`Any unsaved work in ${
        openCount === 1 ? 'this session' : 'these sessions'
      } will be lost.`}
      confirmLabel={`End ${sessionCount(openCount)}`}
      busy={busy || thisSignIn.loading}
      error={error}
      onCancel={onClose}
      onConfirm={endAll}
    />
  );
}
