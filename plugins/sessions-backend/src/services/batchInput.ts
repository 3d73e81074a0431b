import { InputError } from '@backstage/errors';
import {
  ALLOWED_CLOCK_SKEW_MS,
  IngestResult,
} from '@active-sessions/plugin-sessions-common';

/** Refuses a batch that names the same external id twice. */
export function uniqueExternalIds(
  items: Array<{ externalId: string }>,
  list: string,
): string[] {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.externalId)) {
      throw new InputError(
        `${list}.${index}.externalId repeats ${item.externalId} within the batch`,
      );
    }
    seen.add(item.externalId);
  });
  return [...seen];
}

/** An ISO instant as epoch ms, `now` when missing; the future is refused. */
export function instant(
  iso: string | undefined,
  now: number,
  field: string,
): number {
  if (!iso) return now;
  const at = Date.parse(iso);
  if (at > now + ALLOWED_CLOCK_SKEW_MS) {
    throw new InputError(`${field} is in the future`);
  }
  return at;
}

/** Groups a batch's external ids by the instant each item reports. */
export function groupByInstant(
  items: Array<{ externalId: string; at?: string }>,
  now: number,
  list: string,
): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  items.forEach((item, index) => {
    const at = instant(item.at, now, `${list}.${index}.at`);
    groups.set(at, [...(groups.get(at) ?? []), item.externalId]);
  });
  return groups;
}

/** Sorts ids into still open (accepted), unknown and already ended. */
export function classify(
  externalIds: string[],
  statuses: Map<string, string>,
  isOpen: (status: string) => boolean,
): IngestResult {
  const result: IngestResult = { accepted: 0, unknown: [], ended: [] };
  for (const id of externalIds) {
    const status = statuses.get(id);
    if (!status) result.unknown.push(id);
    else if (isOpen(status)) result.accepted += 1;
    else result.ended.push(id);
  }
  return result;
}
