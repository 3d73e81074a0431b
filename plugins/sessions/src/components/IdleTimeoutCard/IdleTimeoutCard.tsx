import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  SessionsSettingsInfo,
  formatDuration,
} from '@active-sessions/plugin-sessions-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sessionsApiRef } from '../../api';
import { errorMessage } from '../errorMessage';
import { MinutesField, outOfBounds, parseMinutes } from './MinutesField';

type Timeouts = SessionsSettingsInfo['timeouts'];

const inMinutes = (ms: number) => String(Math.round(ms / 60_000));

/**
 * How long the person's sessions may stay quiet, and, where the portal
 * allows it, their own choice of idle and disconnect times.
 */
export function IdleTimeoutCard() {
  const sessionsApi = useApi(sessionsApiRef);
  const settings = useAsyncRetry(
    () => sessionsApi.getSettings(),
    [sessionsApi],
  );
  const [applied, setApplied] = useState<Timeouts>();
  const timeouts = applied ?? settings.value?.timeouts;
  const [idle, setIdle] = useState('');
  const [disconnect, setDisconnect] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();
  const [done, setDone] = useState<string>();

  useEffect(() => {
    if (!timeouts) return;
    setIdle(inMinutes(timeouts.idleAfterMs));
    setDisconnect(inMinutes(timeouts.disconnectAfterMs));
  }, [timeouts]);

  if (settings.error) {
    return (
      <InfoCard title="Idle timeout">
        <ResponseErrorPanel
          title={`Could not load your idle timeout: ${errorMessage(settings.error)}`}
          error={settings.error}
        />
      </InfoCard>
    );
  }
  if (!timeouts) {
    return (
      <InfoCard title="Idle timeout">
        <Progress />
      </InfoCard>
    );
  }

  const { personal } = timeouts;
  const idleMs = parseMinutes(idle);
  const disconnectMs = parseMinutes(disconnect);
  const idleError = personal
    ? outOfBounds(idleMs, personal.bounds.idleAfterMs)
    : undefined;
  const disconnectError = personal
    ? (outOfBounds(disconnectMs, personal.bounds.disconnectAfterMs) ??
      (idleMs !== undefined && disconnectMs! <= idleMs
        ? 'Longer than idle'
        : undefined))
    : undefined;
  const unchanged =
    idleMs === timeouts.idleAfterMs &&
    disconnectMs === timeouts.disconnectAfterMs;

  const act = async (
    action: () => Promise<Timeouts>,
    message: (result: Timeouts) => string,
  ) => {
    setSaving(true);
    setError(undefined);
    setDone(undefined);
    try {
      const result = await action();
      setApplied(result);
      setDone(message(result));
    } catch (e) {
      setError(e as Error);
    } finally {
      setSaving(false);
    }
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    act(
      () =>
        sessionsApi.choosePersonalTimeouts({
          idleAfterMs: idleMs!,
          disconnectAfterMs: disconnectMs!,
        }),
      result =>
        `Saved: your quiet sessions are disconnected after ${formatDuration(result.disconnectAfterMs)}.`,
    );
  };
  const reset = () =>
    act(
      () => sessionsApi.resetPersonalTimeouts(),
      () => "Back to the portal's times.",
    );

  return (
    <InfoCard title="Idle timeout">
      <Typography variant="body1" paragraph>
        Without keyboard or mouse activity, your sessions are marked idle after{' '}
        <strong>{formatDuration(timeouts.idleAfterMs)}</strong>, you are warned
        at <strong>{formatDuration(timeouts.warnAfterMs)}</strong>, and they are
        disconnected after{' '}
        <strong>{formatDuration(timeouts.disconnectAfterMs)}</strong>.{' '}
        {personal?.chosen
          ? 'These are your own times.'
          : "These are the portal's times."}
      </Typography>
      {!personal && (
        <Typography variant="body2" color="textSecondary">
          This portal sets them for everyone.
        </Typography>
      )}
      {personal && !personal.mayChoose && (
        <Typography variant="body2" color="textSecondary">
          Your organisation&apos;s policy does not let you choose your own.
        </Typography>
      )}
      {personal?.mayChoose && (
        <Box component="form" onSubmit={save} aria-label="Your idle timeout">
          <Typography variant="body2" color="textSecondary" paragraph>
            Choose your own, within what the portal allows (its times: idle
            after {formatDuration(personal.defaults.idleAfterMs)}, disconnected
            after {formatDuration(personal.defaults.disconnectAfterMs)}). The
            warning comes as long before the disconnect as the portal&apos;s.
          </Typography>
          <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={2}>
            <MinutesField
              label="Idle after (minutes)"
              value={idle}
              onChange={setIdle}
              bounds={personal.bounds.idleAfterMs}
              error={idleError}
              disabled={saving}
            />
            <MinutesField
              label="Disconnect after (minutes)"
              value={disconnect}
              onChange={setDisconnect}
              bounds={personal.bounds.disconnectAfterMs}
              error={disconnectError}
              disabled={saving}
            />
          </Box>
          <Box display="flex" style={{ gap: 8 }}>
            <Button
              type="submit"
              variant="contained"
              color="primary"
              disabled={
                saving || unchanged || Boolean(idleError || disconnectError)
              }
            >
              Save
            </Button>
            {personal.chosen && (
              <Button variant="outlined" onClick={reset} disabled={saving}>
                Use the portal&apos;s times
              </Button>
            )}
          </Box>
        </Box>
      )}
      {done && (
        <Alert severity="success" style={{ marginTop: 16 }}>
          {done}
        </Alert>
      )}
      {error && (
        <Alert severity="error" style={{ marginTop: 16 }}>
          {errorMessage(error)}
        </Alert>
      )}
    </InfoCard>
  );
}
