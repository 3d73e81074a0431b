import { Knex } from 'knex';
import { DueIdleWarning, IdleWarningStore } from './IdleWarningStore';
import { chunks } from './sqlHelpers';

const DUE = 'idle_warnings_due';
const SESSIONS = 'sessions';

/** The {@link IdleWarningStore} on any database knex speaks to. */
export class KnexIdleWarningStore implements IdleWarningStore {
  constructor(private readonly db: Knex) {}

  async readDue(afterId: number, limit: number) {
    const first: Array<{ id: number | string; user_ref: string }> =
      await this.db(DUE)
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .select('id', 'user_ref');
    if (first.length === 0) return { warnings: [], lastId: afterId };
    const lastId = Number(first[first.length - 1].id);
    // Everything these people are owed, also past the rows read: each
    // person gets one notification per sweep, not one per page of rows.
    const warnings = new Map<string, DueIdleWarning>();
    for (const userRefs of chunks([...new Set(first.map(r => r.user_ref))])) {
      const rows = await this.db(DUE)
        .leftJoin(SESSIONS, function joinStillIdle() {
          // Only a session still idle in the stretch it was warned of.
          this.on(`${SESSIONS}.id`, '=', `${DUE}.session_id`)
            .andOn(`${SESSIONS}.idle_warned_at`, '=', `${DUE}.warned_at`)
            .andOnVal(`${SESSIONS}.status`, '=', 'idle');
        })
        .whereIn(`${DUE}.user_ref`, userRefs)
        .orderBy(`${DUE}.id`)
        .select(
          `${DUE}.id as row_id`,
          `${DUE}.user_ref`,
          `${DUE}.warned_at`,
          `${SESSIONS}.id as session_id`,
          `${SESSIONS}.resource_name`,
          `${SESSIONS}.resource_type`,
          `${SESSIONS}.last_activity_at`,
        );
      for (const row of rows) {
        const key = `${row.user_ref}\n${row.warned_at}`;
        let warning = warnings.get(key);
        if (!warning) {
          warning = {
            userRef: row.user_ref,
            warnedAt: Number(row.warned_at),
            rowIds: [],
            sessions: [],
          };
          warnings.set(key, warning);
        }
        warning.rowIds.push(Number(row.row_id));
        if (row.session_id) {
          warning.sessions.push({
            id: row.session_id,
            resourceName: row.resource_name,
            resourceType: row.resource_type,
            lastActivityAt: Number(row.last_activity_at),
          });
        }
      }
    }
    return { warnings: [...warnings.values()], lastId };
  }

  async remove(rowIds: number[]) {
    for (const chunk of chunks(rowIds)) {
      await this.db(DUE).whereIn('id', chunk).delete();
    }
  }
}
