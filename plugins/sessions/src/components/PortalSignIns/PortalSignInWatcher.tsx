import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ReactNode, useEffect, useState } from 'react';
import { sessionsApiRef } from '../../api';
import { signInIdOf } from '../../hooks/signInIdOf';
import { useInputSinceLastBeat } from '../../hooks/useInputSinceLastBeat';
import { SignInCodeDialog } from './SignInCodeDialog';
import { startAgain } from './startAgain';

/** How often to ask until the backend says otherwise. */
const FIRST_INTERVAL_MS = 30_000;

/**
 * Signs this browser out when its portal sign-in is ended from Active
 * Sessions (another device, a manager, the idle sweep): it asks every
 * heartbeat interval, saying whether the person used the tab since the
 * last time (only that keeps the sign-in from idling), and signs out on
 * "ended", or when the backend refuses its token. While the sign-in waits
 * for the person's authenticator code (`sessions.signIn.secondFactor`) it
 * shows the code screen over the app. Render it once, around or beside the app.
 *
 * @public
 */
export function PortalSignInWatcher(props: { children?: ReactNode }) {
  const identityApi = useApi(identityApiRef);
  const sessionsApi = useApi(sessionsApiRef);
  const inputSinceLastBeat = useInputSinceLastBeat();
  const [awaiting, setAwaiting] = useState<{
    sid: string;
    codeDueAt?: string;
  }>();

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let intervalMs = FIRST_INTERVAL_MS;

    const beat = async () => {
      try {
        const sid = signInIdOf((await identityApi.getCredentials()).token);
        // Not a tracked sign-in: nothing to watch.
        if (!sid || stopped) return;
        const { state, codeDueAt } = await sessionsApi.portalHeartbeat(
          sid,
          inputSinceLastBeat(),
        );
        if (state === 'ended') {
          stopped = true;
          setAwaiting(undefined);
          await identityApi.signOut();
          return;
        }
        setAwaiting(state === 'awaiting-code' ? { sid, codeDueAt } : undefined);
      } catch (error) {
        // A refused token means this sign-in is over; anything else
        // (network, backend restarting) is tried again next time.
        if (error instanceof ResponseError && error.response.status === 401) {
          stopped = true;
          await identityApi.signOut();
          return;
        }
      }
      if (!stopped) timer = setTimeout(beat, intervalMs);
    };

    sessionsApi
      .getPortalStatus()
      .then(status => {
        intervalMs = status.heartbeatIntervalMs;
      })
      .catch(() => {})
      .finally(() => {
        if (!stopped) beat();
      });
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [identityApi, sessionsApi, inputSinceLastBeat]);

  return (
    <>
      {props.children}
      {awaiting && (
        <SignInCodeDialog
          sid={awaiting.sid}
          codeDueAt={awaiting.codeDueAt}
          // A fresh start signs in again: the token it gets has no wait.
          onPassed={startAgain}
          onSignOut={() => identityApi.signOut()}
        />
      )}
    </>
  );
}
