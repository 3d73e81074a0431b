import { useSignal } from '@backstage/plugin-signals-react';
import {
  SESSIONS_SIGNAL_CHANNEL,
  SessionsChangedSignal,
} from '@active-sessions/plugin-sessions-common';
import { useEffect } from 'react';

/**
 * Calls `reload` whenever the backend signals that something the page
 * shows changed. Without the signals plugin it does nothing; Refresh stays.
 */
export function useReloadOnChange(reload: () => void) {
  const { lastSignal } = useSignal<SessionsChangedSignal>(
    SESSIONS_SIGNAL_CHANNEL,
  );
  useEffect(() => {
    if (lastSignal) reload();
  }, [lastSignal, reload]);
}
