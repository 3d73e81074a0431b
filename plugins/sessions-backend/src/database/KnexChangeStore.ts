import { Knex } from 'knex';
import { ChangeBatch, ChangeStore } from './ChangeStore';
import { sequenceAll } from './feedSequencer';

const CURSOR = 'change_signal_cursor';

/** The {@link ChangeStore} on any database knex speaks to. */
export class KnexChangeStore implements ChangeStore {
  constructor(private readonly db: Knex) {}

  async readChanges(limit: number): Promise<ChangeBatch | undefined> {
    // Events are followed in commit order: one committed late still
    // reaches the pages.
    await sequenceAll(this.db, 'session_events');
    await sequenceAll(this.db, 'grant_events');
    const row = await this.db(CURSOR).where('name', 'pages').first();
    if (!row) return undefined;
    const from = {
      sessionEventSeq: Number(row.session_event_seq),
      grantEventSeq: Number(row.grant_event_seq),
    };
    const [sessionEvents, grantEvents] = await Promise.all([
      this.db('session_events as e')
        .join('sessions as s', 's.id', 'e.session_id')
        .where('e.seq', '>', from.sessionEventSeq)
        .orderBy('e.seq')
        .limit(limit)
        .select('e.seq', 's.user_ref'),
      this.db('grant_events as e')
        .join('access_grants as g', 'g.id', 'e.grant_id')
        .where('e.seq', '>', from.grantEventSeq)
        .orderBy('e.seq')
        .limit(limit)
        .select('e.seq', 'g.user_ref'),
    ]);
    if (!sessionEvents.length && !grantEvents.length) return undefined;
    const lastSeq = (rows: Array<{ seq: unknown }>, start: number) =>
      rows.length ? Number(rows[rows.length - 1].seq) : start;
    return {
      from,
      next: {
        sessionEventSeq: lastSeq(sessionEvents, from.sessionEventSeq),
        grantEventSeq: lastSeq(grantEvents, from.grantEventSeq),
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
        session_event_seq: batch.from.sessionEventSeq,
        grant_event_seq: batch.from.grantEventSeq,
      })
      .update({
        session_event_seq: batch.next.sessionEventSeq,
        grant_event_seq: batch.next.grantEventSeq,
      });
    return updated === 1;
  }
}
