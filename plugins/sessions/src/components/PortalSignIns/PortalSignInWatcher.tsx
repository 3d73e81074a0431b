import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ReactNode, useEffect } from 'react';
import { sessionsApiRef } from '../../api';
import { signInIdOf } from '../../hooks/signInIdOf';

/** How often to ask until the backend says otherwise. */
const FIRST_INTERVAL_MS = 30_000;

/**
 * Signs this browser out when its portal sign-in is ended from Active
 * Sessions (another device, a manager, the idle sweep): it reports the tab
 * as active every heartbeat interval and signs out on "ended", or when the
 * backend refuses its token. Render it once, around or beside the app.
 *
 * @public
 */
export function PortalSignInWatcher(props: { children?: ReactNode }) {
  const identityApi = useApi(identityApiRef);
  const sessionsApi = useApi(sessionsApiRef);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let intervalMs = FIRST_INTERVAL_MS;

    const beat = async () => {
      try {
        const sid = signInIdOf((await identityApi.getCredentials()).token);
        // Not a tracked sign-in: nothing to watch.
        if (!sid || stopped) return;
        const { state } = await sessionsApi.portalHeartbeat(sid);
        if (state === 'ended') {
          stopped = true;
          await identityApi.signOut();
          return;
        }
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
  }, [identityApi, sessionsApi]);

  return <>{props.children}</>;
}
