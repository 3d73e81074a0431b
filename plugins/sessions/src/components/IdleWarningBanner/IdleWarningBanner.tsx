import { useApi } from '@backstage/core-plugin-api';
import { idleWarningText } from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { sessionsApiRef } from '../../api';
import { useNow } from '../../hooks/useNow';

/**
 * Warns, above every tab, about the person's idle sessions the sweep has
 * flagged: when each will be disconnected unless it is used.
 */
export function IdleWarningBanner(props: { reloadKey: number }) {
  const sessionsApi = useApi(sessionsApiRef);
  const now = useNow(30_000);
  const { value } = useAsync(async () => {
    const [idle, settings] = await Promise.all([
      sessionsApi.listSessions({ status: ['idle'], limit: 50 }),
      sessionsApi.getSettings(),
    ]);
    return {
      warned: idle.items.filter(session => session.idleWarnedAt),
      settings,
    };
  }, [sessionsApi, props.reloadKey]);
  if (!value?.warned.length) return null;
  const { disconnectAfterMs } = value.settings.timeouts;
  return (
    <Box mt={2} display="flex" flexDirection="column" style={{ gap: 8 }}>
      {value.warned.map(session => {
        const cutAt = Date.parse(session.lastActivityAt) + disconnectAfterMs;
        const minutes = Math.ceil((cutAt - now) / 60_000);
        return (
          <Alert key={session.id} severity="warning">
            {idleWarningText(
              value.settings.idleWarning.message,
              session,
              minutes,
            )}
          </Alert>
        );
      })}
    </Box>
  );
}
