import { DateTime } from 'luxon';

/** Days typed into the History date fields, as `YYYY-MM-DD`. */
export interface EndedDays {
  from?: string;
  until?: string;
}

const dayStart = (day: string) => DateTime.fromISO(day).startOf('day');

/** Whether the range ends before it starts. */
export function isBackwards({ from, until }: EndedDays): boolean {
  return Boolean(from && until && until < from);
}

/**
 * The instants the list asks for: from the start of the first day to the
 * start of the day after the last, in the browser's time zone; nothing for
 * a range that ends before it starts.
 */
export function endedRange(days: EndedDays): {
  endedFrom?: string;
  endedBefore?: string;
} {
  if (isBackwards(days)) return {};
  return {
    endedFrom: days.from ? dayStart(days.from).toUTC().toISO()! : undefined,
    endedBefore: days.until
      ? dayStart(days.until).plus({ days: 1 }).toUTC().toISO()!
      : undefined,
  };
}
