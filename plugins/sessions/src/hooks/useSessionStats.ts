import { useApi } from '@backstage/core-plugin-api';
import { SessionStats } from '@active-sessions/plugin-sessions-common';
import useAsync from 'react-use/esm/useAsync';
import { sessionsApiRef } from '../api';

/**
 * The counters for the page header. Loads again whenever `reloadKey` changes;
 * the previous counters stay on screen while the new ones load.
 */
export function useSessionStats(reloadKey: number): {
  stats?: SessionStats;
  loading: boolean;
  error?: Error;
} {
  const sessionsApi = useApi(sessionsApiRef);
  const { value, loading, error } = useAsync(
    () => sessionsApi.getStats(),
    [sessionsApi, reloadKey],
  );
  return { stats: value, loading, error };
}
