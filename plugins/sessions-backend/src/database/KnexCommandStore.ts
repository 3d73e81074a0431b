import { Knex } from 'knex';
import { CommandOutcome } from '@active-sessions/plugin-sessions-common';
import { CommandStore, FeedCommand } from './CommandStore';
import { sequenceAll } from './feedSequencer';
import { COMMANDS, connectorActor } from './connectorOrders';
import { toIso } from './sqlHelpers';
import {
  GRANT_CUTS,
  SESSION_CUTS,
  confirmCuts,
  recordCutFailures,
} from './cutConfirmations';

/** The {@link CommandStore} on any database knex speaks to. */
export class KnexCommandStore implements CommandStore {
  constructor(private readonly db: Knex) {}

  async listAfter(
    source: string,
    after: number,
    limit: number,
  ): Promise<FeedCommand[]> {
    await sequenceAll(this.db, COMMANDS);
    const rows = await this.db(COMMANDS)
      .where('source', source)
      .where('seq', '>', after)
      .orderBy('seq', 'asc')
      .limit(limit)
      .select();
    return rows.map(row => ({
      seq: Number(row.seq),
      id: Number(row.id),
      action: row.action,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      externalId: row.external_id,
      reason: row.reason,
      requestedBy: row.requested_by,
      createdAt: toIso(row.created_at),
    }));
  }

  /**
   * Records a batch of acknowledgements in one transaction with a fixed
   * number of statements (not a round of statements per order), so a
   * connector catching up on thousands of orders is not held back here.
   */
  async acknowledge(
    source: string,
    acks: Array<{ id: number; outcome: CommandOutcome; message?: string }>,
    at: number,
  ): Promise<number[]> {
    const actor = connectorActor(source);
    const ackOf = new Map(acks.map(ack => [ack.id, ack]));
    return this.db.transaction(async trx => {
      // This source's orders not acknowledged yet, locked in id order: a
      // concurrent acknowledgement of the same orders waits, then finds
      // them acknowledged and records nothing twice. (SQLite holds the
      // whole database for a writing transaction instead.)
      const orders: Array<{
        id: number | string;
        subject_type: string;
        subject_id: string;
      }> = await trx(COMMANDS)
        .where('source', source)
        .whereIn('id', [...ackOf.keys()])
        .whereNull('acknowledged_at')
        .orderBy('id')
        .forUpdate()
        .select('id', 'subject_type', 'subject_id');
      if (!orders.length) return [];

      const byOutcome = new Map<string, number[]>();
      for (const order of orders) {
        const ack = ackOf.get(Number(order.id))!;
        const key = JSON.stringify([ack.outcome, ack.message ?? null]);
        byOutcome.set(key, [...(byOutcome.get(key) ?? []), Number(order.id)]);
      }
      for (const [key, ids] of byOutcome) {
        const [outcome, message] = JSON.parse(key);
        await trx(COMMANDS)
          .whereIn('id', ids)
          .update({ acknowledged_at: at, outcome, message });
      }

      // `not_found`: the source no longer has it, which is a cut too.
      for (const cuts of [SESSION_CUTS, GRANT_CUTS]) {
        const ofTable = orders.filter(
          order => (order.subject_type === 'grant') === (cuts === GRANT_CUTS),
        );
        const failed = ofTable.filter(
          order => ackOf.get(Number(order.id))!.outcome === 'failed',
        );
        const cut = ofTable
          .filter(order => !failed.includes(order))
          .map(order => order.subject_id);
        if (cut.length) {
          await confirmCuts(trx, cuts, query => query.whereIn('id', cut), {
            at,
            actor,
          });
        }
        if (failed.length) {
          await recordCutFailures(
            trx,
            cuts,
            failed.map(order => ({
              id: order.subject_id,
              message:
                ackOf.get(Number(order.id))!.message ??
                'The connector could not cut it',
            })),
            at,
            actor,
          );
        }
      }
      const recorded = new Set(orders.map(order => Number(order.id)));
      return acks.filter(ack => recorded.has(ack.id)).map(ack => ack.id);
    });
  }
}
