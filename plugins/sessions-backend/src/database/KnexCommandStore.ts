import { Knex } from 'knex';
import { CommandOutcome } from '@internal/plugin-sessions-common';
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

  async acknowledge(
    source: string,
    acks: Array<{ id: number; outcome: CommandOutcome; message?: string }>,
    at: number,
  ): Promise<number[]> {
    const actor = connectorActor(source);
    return this.db.transaction(async trx => {
      const recorded: number[] = [];
      for (const ack of acks) {
        const count = await trx(COMMANDS)
          .where({ id: ack.id, source })
          .whereNull('acknowledged_at')
          .update({
            acknowledged_at: at,
            outcome: ack.outcome,
            message: ack.message ?? null,
          });
        if (count === 0) continue;
        recorded.push(ack.id);
        const order = await trx(COMMANDS).where('id', ack.id).first();
        const cuts = order.subject_type === 'grant' ? GRANT_CUTS : SESSION_CUTS;
        // `not_found`: the source no longer has it, which is a cut too.
        if (ack.outcome === 'failed') {
          const message = ack.message ?? 'The connector could not cut it';
          await recordCutFailures(
            trx,
            cuts,
            [{ id: order.subject_id, message }],
            at,
            actor,
          );
        } else {
          await confirmCuts(
            trx,
            cuts,
            query => query.where('id', order.subject_id),
            { at, actor },
          );
        }
      }
      return recorded;
    });
  }
}
