import { useApi } from '@backstage/core-plugin-api';
import { GrantStats } from '@active-sessions/plugin-sessions-common';
import useAsync from 'react-use/esm/useAsync';
import { sessionsApiRef } from '../api';

/**
 * The caller's grants in numbers for the page header. Loads again whenever
 * `reloadKey` changes; the previous numbers stay while the new ones load.
 */
export function useGrantStats(reloadKey: number): {
  grantStats?: GrantStats;
  error?: Error;
} {
  const sessionsApi = useApi(sessionsApiRef);
  const { value, error } = useAsync(
    () => sessionsApi.getGrantStats(),
    [sessionsApi, reloadKey],
  );
  return { grantStats: value, error };
}
