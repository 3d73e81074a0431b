import { Knex } from 'knex';
import { fromRow, insertChunked, insertPerMarkedRow } from './sqlHelpers';

/** The actor recorded for changes a connector reports or confirms. */
export const connectorActor = (source: string) => `connector:${source}`;

/** The outbox table connectors read their orders from. */
export const COMMANDS = 'connector_commands';

/** Called once orders a transaction recorded have committed. */
export type OnOrdered = () => void;

/** Calls `onOrdered` when `trx` commits (not when it rolls back). */
function whenCommitted(trx: Knex.Transaction, onOrdered?: OnOrdered) {
  trx.executionPromise.then(onOrdered, () => {});
}

/**
 * Records, inside the caller's transaction, one order per cut subject for
 * the connector that reported it, so the state change and the order commit
 * or fail together.
 */
export async function recordConnectorOrders(
  trx: Knex.Transaction,
  subjects: Array<{ id: string; source: string; external_id: string }>,
  order: {
    action: 'end_session' | 'revoke_grant';
    reason: string;
    requestedBy: string;
    at: number;
  },
  onOrdered?: OnOrdered,
) {
  if (subjects.length && onOrdered) whenCommitted(trx, onOrdered);
  await insertChunked(
    trx,
    COMMANDS,
    subjects.map(subject => ({
      source: subject.source,
      subject_type: order.action === 'end_session' ? 'session' : 'grant',
      subject_id: subject.id,
      external_id: subject.external_id,
      action: order.action,
      reason: order.reason,
      requested_by: order.requestedBy,
      created_at: order.at,
    })),
  );
}

/**
 * {@link recordConnectorOrders} for the rows of `table` a transition just
 * tagged with `marker`, in one `INSERT … SELECT`.
 */
export async function recordConnectorOrdersForMarked(
  trx: Knex.Transaction,
  table: string,
  marker: string,
  order: {
    action: 'end_session' | 'revoke_grant';
    reason: string;
    requestedBy: string;
    at: number;
  },
  onOrdered?: OnOrdered,
) {
  if (onOrdered) whenCommitted(trx, onOrdered);
  await insertPerMarkedRow(trx, table, marker, {
    table: COMMANDS,
    columns: {
      source: fromRow('source'),
      subject_type: order.action === 'end_session' ? 'session' : 'grant',
      subject_id: fromRow('id'),
      external_id: fromRow('external_id'),
      action: order.action,
      reason: order.reason,
      requested_by: order.requestedBy,
      created_at: order.at,
    },
  });
}
