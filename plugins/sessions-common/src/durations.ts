import { DateTime, Duration } from 'luxon';

/**
 * Formats a length of time the way the Active Sessions page shows it: the two
 * largest units, `32m`, `2h 30m`, `2d 4h`; under a minute is `<1m`.
 *
 * @public
 */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 60_000) {
    return '<1m';
  }
  const { days, hours, minutes } = Duration.fromMillis(milliseconds)
    .shiftTo('days', 'hours', 'minutes')
    .toObject();
  const parts: Array<[number, string]> = [
    [days ?? 0, 'd'],
    [hours ?? 0, 'h'],
    [Math.floor(minutes ?? 0), 'm'],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  return parts
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value}${unit}`)
    .join(' ');
}

/**
 * Time between two ISO instants, or until now when `end` is missing.
 *
 * @public
 */
export function durationBetween(
  startIso: string,
  endIso?: string | null,
  now: DateTime = DateTime.now(),
): number {
  const start = DateTime.fromISO(startIso);
  const end = endIso ? DateTime.fromISO(endIso) : now;
  return Math.max(0, end.toMillis() - start.toMillis());
}
