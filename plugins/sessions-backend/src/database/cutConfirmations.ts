import { Knex } from 'knex';
import { recordTotalsChange } from './sessionTotals';
import { clipText, fromRow, transitionRows } from './sqlHelpers';

/** The length of the `cut_failure` columns. */
const MAX_CUT_FAILURE_LENGTH = 1000;

/** Default time a connector has to confirm a cut before it is flagged. */
export const DEFAULT_CONFIRM_WITHIN_MS = 30_000;

/** Where a cut subject lives, and the statuses of its last step. */
interface CutTable {
  table: string;
  events: string;
  eventSubjectColumn: string;
  pending: string;
  done: string;
  /** More to write about the confirmed rows, by marker. */
  afterChange?: (trx: Knex.Transaction, marker: string) => Promise<void>;
}

export const SESSION_CUTS: CutTable = {
  table: 'sessions',
  events: 'session_events',
  eventSubjectColumn: 'session_id',
  pending: 'terminating',
  done: 'disconnected',
  afterChange: (trx, marker) =>
    recordTotalsChange(trx, marker, 'terminating', 'disconnected'),
};

export const GRANT_CUTS: CutTable = {
  table: 'access_grants',
  events: 'grant_events',
  eventSubjectColumn: 'grant_id',
  pending: 'revoking',
  done: 'revoked',
};

/**
 * The source confirmed these subjects are cut: pending ones become final,
 * with the confirmation time and a `cut_confirmed` event. Subjects no longer
 * pending are left alone, so a repeated confirmation records nothing.
 */
export async function confirmCuts<Row extends { id: string }>(
  trx: Knex.Transaction,
  cuts: CutTable,
  where: (query: Knex.QueryBuilder) => void,
  confirmation: { at: number; actor: string },
): Promise<Row[]> {
  return transitionRows<Row>(trx, {
    table: cuts.table,
    where: query => {
      where(query);
      query.where('status', cuts.pending);
    },
    patch: {
      status: cuts.done,
      cut_confirmed_at: confirmation.at,
      cut_failure: null,
    },
    afterChange: cuts.afterChange,
    history: {
      table: cuts.events,
      columns: {
        [cuts.eventSubjectColumn]: fromRow('id'),
        event_type: 'cut_confirmed',
        from_status: cuts.pending,
        to_status: cuts.done,
        actor: confirmation.actor,
        reason: null,
        created_at: confirmation.at,
      },
    },
  });
}

/**
 * The source could not cut these subjects: they stay pending (never shown
 * as done) and carry the connector's message, clipped to the column (an
 * acknowledgement may say up to 2,000 characters; it must not be lost for
 * saying too much).
 */
export async function recordCutFailures(
  trx: Knex.Transaction,
  cuts: CutTable,
  failures: Array<{ id: string; message: string }>,
  at: number,
  actor: string,
) {
  for (const failure of failures) {
    const count = await trx(cuts.table)
      .where({ id: failure.id, status: cuts.pending })
      .update({
        cut_failure: clipText(failure.message, MAX_CUT_FAILURE_LENGTH),
      });
    if (count > 0) {
      await trx(cuts.events).insert({
        [cuts.eventSubjectColumn]: failure.id,
        event_type: 'cut_failed',
        from_status: cuts.pending,
        to_status: cuts.pending,
        actor,
        reason: null,
        created_at: at,
      });
    }
  }
}
