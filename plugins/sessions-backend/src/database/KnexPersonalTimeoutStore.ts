import { Knex } from 'knex';
import { ChosenTimeouts, PersonalTimeoutStore } from './PersonalTimeoutStore';
import { chunks } from './sqlHelpers';

const PERSONAL_TIMEOUTS = 'personal_timeouts';

const toChosen = (row: {
  idle_after_ms: number | string;
  disconnect_after_ms: number | string;
}): ChosenTimeouts => ({
  idleAfterMs: Number(row.idle_after_ms),
  disconnectAfterMs: Number(row.disconnect_after_ms),
});

/** The {@link PersonalTimeoutStore} on any database knex speaks to. */
export class KnexPersonalTimeoutStore implements PersonalTimeoutStore {
  constructor(private readonly db: Knex) {}

  async get(userRef: string): Promise<ChosenTimeouts | undefined> {
    const row = await this.db(PERSONAL_TIMEOUTS)
      .where('user_ref', userRef)
      .first();
    return row && toChosen(row);
  }

  async getMany(userRefs: string[]): Promise<Map<string, ChosenTimeouts>> {
    const chosen = new Map<string, ChosenTimeouts>();
    for (const chunk of chunks([...new Set(userRefs)])) {
      const rows = await this.db(PERSONAL_TIMEOUTS).whereIn('user_ref', chunk);
      for (const row of rows) chosen.set(row.user_ref, toChosen(row));
    }
    return chosen;
  }

  async set(userRef: string, chosen: ChosenTimeouts, at: number) {
    await this.db(PERSONAL_TIMEOUTS)
      .insert({
        user_ref: userRef,
        idle_after_ms: chosen.idleAfterMs,
        disconnect_after_ms: chosen.disconnectAfterMs,
        updated_at: at,
      })
      .onConflict('user_ref')
      .merge();
  }

  async clear(userRef: string): Promise<boolean> {
    const deleted = await this.db(PERSONAL_TIMEOUTS)
      .where('user_ref', userRef)
      .delete();
    return deleted > 0;
  }
}
