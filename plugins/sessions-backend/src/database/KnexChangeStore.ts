import { Knex } from 'knex';
import { ChangeBatch, ChangeStore } from './ChangeStore';

const CURSOR = 'change_signal_cursor';

/** The {@link ChangeStore} on any database knex speaks to. */
export class KnexChangeStore implements ChangeStore {
  constructor(private readonly db: Knex) {}

  async readChanges(limit: number): Promise<ChangeBatch | undefined> {
    const row = await this.db(CURSOR).where('name', 'pages').first();
    if (!row) return undefined;
    const from = {
      sessionEventId: Number(row.session_event_id),
      grantEventId: Number(row.grant_event_id),
    };
    const [sessionEvents, grantEvents] = await Promise.all([
      this.db('session_events as e')
        .join('sessions as s', 's.id', 'e.session_id')
        .where('e.id', '>', from.sessionEventId)
        .orderBy('e.id')
        .limit(limit)
        .select('e.id', 's.user_ref'),
      this.db('grant_events as e')
        .join('access_grants as g', 'g.id', 'e.grant_id')
        .where('e.id', '>', from.grantEventId)
        .orderBy('e.id')
        .limit(limit)
        .select('e.id', 'g.user_ref'),
    ]);
    if (!sessionEvents.length && !grantEvents.length) return undefined;
    const lastId = (rows: Array<{ id: unknown }>, start: number) =>
      rows.length ? Number(rows[rows.length - 1].id) : start;
    return {
      from,
      next: {
        sessionEventId: lastId(sessionEvents, from.sessionEventId),
        grantEventId: lastId(grantEvents, from.grantEventId),
      },
      userRefs: [
        ...new Set(
          [...sessionEvents, ...grantEvents].map(event => event.user_ref),
        ),
      ],
    };
  }

  async claim(batch: ChangeBatch): Promise<boolean> {
    const updated = await this.db(CURSOR)
      .where({
        name: 'pages',
        session_event_id: batch.from.sessionEventId,
        grant_event_id: batch.from.grantEventId,
      })
      .update({
        session_event_id: batch.next.sessionEventId,
        grant_event_id: batch.next.grantEventId,
      });
    return updated === 1;
  }
}
