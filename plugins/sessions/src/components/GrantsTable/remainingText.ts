import {
  AccessGrant,
  formatDuration,
  remainingMs,
} from '@active-sessions/plugin-sessions-common';

/** Time left on a grant as shown in the table: `2h 30m`, or `Expired`. */
export function remainingText(
  grant: Pick<AccessGrant, 'expiresAt'>,
  now: number,
): string {
  const left = remainingMs(grant, now);
  return left > 0 ? formatDuration(left) : 'Expired';
}
