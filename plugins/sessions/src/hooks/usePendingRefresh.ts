import { CutProgress, cutState } from '@active-sessions/plugin-sessions-common';
import { useEffect, useRef } from 'react';

/** Often enough to show a confirmation within a couple of seconds. */
export const PENDING_REFRESH_MS = 1500;
/** A page shows at most this many rows waiting at once in practice. */
const MAX_REFRESHED = 50;

/**
 * While some loaded rows wait for their connector to confirm a cut, fetch
 * those rows again, all in one request, every interval, and hand the fresh
 * copies back so they change in place. A row stops being asked for once
 * its cut is confirmed, failed or past its deadline (shown Not confirmed):
 * a connector that is down is not asked about forever; if it comes back,
 * the change signal reloads the list.
 */
export function usePendingRefresh<T extends CutProgress & { id: string }>(
  items: T[],
  fetchMany: (ids: string[]) => Promise<T[]>,
  onFresh: (fresh: T[]) => void,
) {
  const now = Date.now();
  const waiting = items.filter(item => cutState(item, now) === 'waiting');
  const pendingIds = waiting
    .slice(0, MAX_REFRESHED)
    .map(item => item.id)
    .join(',');
  // The latest callbacks, without restarting the timer on every render.
  // A row past its deadline drops out at the render after the next tick.
  const latest = useRef({ fetchMany, onFresh });
  latest.current = { fetchMany, onFresh };

  useEffect(() => {
    if (!pendingIds) return undefined;
    let cancelled = false;
    const timer = setInterval(async () => {
      try {
        const fresh = await latest.current.fetchMany(pendingIds.split(','));
        if (!cancelled && fresh.length) latest.current.onFresh(fresh);
      } catch {
        // The next tick asks again.
      }
    }, PENDING_REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [pendingIds]);
}
