/**
 * The fields that tell how far a cut at the source has come.
 *
 * @public
 */
export interface CutProgress {
  status: string;
  cutDeadlineAt: string | null;
  cutConfirmedAt: string | null;
  cutFailure: string | null;
}

/**
 * Where a cut stands, as the page shows it: `waiting` for the connector,
 * `unconfirmed` past the deadline, `failed` when the connector said so,
 * `confirmed` when the source cut it; `none` when nothing was asked of the
 * source. A cut is never shown as done without the source's word.
 *
 * @public
 */
export type CutState =
  'none' | 'waiting' | 'unconfirmed' | 'failed' | 'confirmed';

const PENDING_STATUSES = ['terminating', 'revoking'];

/** @public */
export function cutState(
  item: CutProgress,
  now: number = Date.now(),
): CutState {
  if (PENDING_STATUSES.includes(item.status)) {
    if (item.cutFailure) return 'failed';
    if (item.cutDeadlineAt && Date.parse(item.cutDeadlineAt) < now) {
      return 'unconfirmed';
    }
    return 'waiting';
  }
  return item.cutConfirmedAt ? 'confirmed' : 'none';
}

/**
 * Still waiting for the source: the page keeps asking.
 *
 * @public
 */
export const isCutPending = (item: CutProgress) =>
  PENDING_STATUSES.includes(item.status);
