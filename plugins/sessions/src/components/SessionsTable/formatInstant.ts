import { DateTime } from 'luxon';

/** A moment in the reader's locale and time zone, e.g. `11/23/2026, 9:05 AM`. */
export function formatInstant(iso: string): string {
  return DateTime.fromISO(iso).toLocaleString(DateTime.DATETIME_SHORT);
}
