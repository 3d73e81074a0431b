import { useEffect, useRef } from 'react';

/** Often enough to show a confirmation within a couple of seconds. */
const REFRESH_INTERVAL_MS = 1500;
/** A page shows at most this many rows waiting at once in practice. */
const MAX_REFRESHED = 50;

/**
 * While some loaded items wait on something outside the page (a connector
 * confirming a cut), fetch just those again every interval and hand the
 * fresh copies back, so their rows change in place without a reload.
 */
export function usePendingRefresh<T extends { id: string }>(
  items: T[],
  isPending: (item: T) => boolean,
  fetchOne: (id: string) => Promise<T>,
  onFresh: (fresh: T[]) => void,
) {
  const pendingIds = items
    .filter(isPending)
    .slice(0, MAX_REFRESHED)
    .map(item => item.id)
    .join(',');
  // The latest callbacks, without restarting the timer on every render.
  const latest = useRef({ fetchOne, onFresh });
  latest.current = { fetchOne, onFresh };

  useEffect(() => {
    if (!pendingIds) return undefined;
    let cancelled = false;
    const timer = setInterval(async () => {
      const results = await Promise.allSettled(
        pendingIds.split(',').map(id => latest.current.fetchOne(id)),
      );
      const fresh = results.flatMap(result =>
        result.status === 'fulfilled' ? [result.value] : [],
      );
      if (!cancelled && fresh.length) latest.current.onFresh(fresh);
    }, REFRESH_INTERVAL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [pendingIds]);
}
