import { useEffect, useState } from 'react';

/**
 * The current time in epoch milliseconds, moving on every `intervalMs`, so
 * countdowns such as a grant's remaining time tick without a reload.
 */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
