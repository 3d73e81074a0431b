import { Knex } from 'knex';
import { COMMANDS } from './connectorOrders';
import { sequenceAll } from './feedSequencer';
import { clipText } from './sqlHelpers';
import {
  ConnectorRecord,
  ConnectorStore,
  PendingOrders,
} from './ConnectorStore';

const CONNECTORS = 'connectors';

const numberOrNull = (value: number | string | null) =>
  value === null ? null : Number(value);

/** The {@link ConnectorStore} on any database knex speaks to. */
export class KnexConnectorStore implements ConnectorStore {
  constructor(private readonly db: Knex) {}

  async recordPoll(id: string, at: number): Promise<void> {
    await this.db(CONNECTORS)
      .insert({ id, last_poll_at: at })
      .onConflict('id')
      .merge(['last_poll_at']);
  }

  async recordSubject(id: string, subject: string, at: number): Promise<void> {
    await this.db(CONNECTORS)
      .insert({ id, last_subject: subject, last_subject_at: at })
      .onConflict('id')
      .merge(['last_subject', 'last_subject_at']);
  }

  async listConnectors(): Promise<ConnectorRecord[]> {
    const rows = await this.db(CONNECTORS).orderBy('id').select();
    return rows.map(row => ({
      id: row.id,
      lastPollAt: numberOrNull(row.last_poll_at),
      pushCursor: numberOrNull(row.push_cursor),
      pushFailedAt: numberOrNull(row.push_failed_at),
      pushFailure: row.push_failure,
      lastSubject: row.last_subject ?? null,
      lastSubjectAt: numberOrNull(row.last_subject_at ?? null),
    }));
  }

  async pendingOrders(): Promise<Map<string, PendingOrders>> {
    const rows: Array<{ source: string; count: any; oldest: any }> =
      await this.db(COMMANDS)
        .whereNull('acknowledged_at')
        .groupBy('source')
        .select('source')
        .count({ count: '*' })
        .min({ oldest: 'created_at' });
    return new Map(
      rows.map(row => [
        row.source,
        { count: Number(row.count), oldestAt: Number(row.oldest) },
      ]),
    );
  }

  async pushCursor(id: string): Promise<number> {
    const existing = await this.db(CONNECTORS).where('id', id).first();
    if (existing?.push_cursor !== undefined && existing.push_cursor !== null) {
      return Number(existing.push_cursor);
    }
    // Orders committed by now are "existing": give them their place first.
    await sequenceAll(this.db, COMMANDS);
    const { latest } = (await this.db(COMMANDS)
      .where('source', id)
      .max({ latest: 'seq' })
      .first()) ?? { latest: null };
    const start = Number(latest ?? 0);
    await this.db(CONNECTORS)
      .insert({ id, push_cursor: start })
      .onConflict('id')
      .ignore();
    // Only set it where no replica got there first.
    await this.db(CONNECTORS)
      .where('id', id)
      .whereNull('push_cursor')
      .update({ push_cursor: start });
    const row = await this.db(CONNECTORS).where('id', id).first();
    return Number(row.push_cursor);
  }

  async claimPush(id: string, from: number, to: number): Promise<boolean> {
    const count = await this.db(CONNECTORS)
      .where({ id, push_cursor: from })
      .update({ push_cursor: to });
    return count === 1;
  }

  async recordPushFailure(
    id: string,
    at: number,
    message: string,
  ): Promise<void> {
    await this.db(CONNECTORS)
      .where('id', id)
      .update({ push_failed_at: at, push_failure: clipText(message, 1000) });
  }
}
