import { useApi } from '@backstage/core-plugin-api';
import { SessionsCapabilities } from '@active-sessions/plugin-sessions-common';
import useAsync from 'react-use/esm/useAsync';
import { sessionsApiRef } from '../api';

const OWN_ONLY: SessionsCapabilities = {
  readsOthersSessions: false,
  readsOthersGrants: false,
};

/**
 * Whether the policy lets the signed-in person read anyone else's sessions
 * and grants, asked once. Until the answer is in, or if it cannot be had,
 * nothing more than their own is offered; their own lists work regardless.
 */
export function useCapabilities(): SessionsCapabilities {
  const sessionsApi = useApi(sessionsApiRef);
  const { value } = useAsync(
    () => sessionsApi.getCapabilities(),
    [sessionsApi],
  );
  return value ?? OWN_ONLY;
}
