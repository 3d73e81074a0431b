import { Knex } from 'knex';
import { PORTAL_SOURCE } from '@internal/plugin-sessions-common';
import { SignOutList, SignOutStore } from './SignOutStore';

/** The {@link SignOutStore} on any database knex speaks to. */
export class KnexSignOutStore implements SignOutStore {
  constructor(private readonly db: Knex) {}

  async readSignOuts(since: number): Promise<SignOutList> {
    const [ended, cutoffs, locks] = await Promise.all([
      this.db('sessions')
        .where('source', PORTAL_SOURCE)
        .whereIn('status', ['terminating', 'disconnected'])
        .where('ended_at', '>=', since)
        .select('external_id'),
      this.db('sign_in_cutoffs')
        .where('not_before', '>=', since)
        .select('user_ref', 'not_before'),
      this.db('user_locks').select('user_ref'),
    ]);
    const notBefore = new Map<string, number>();
    for (const row of cutoffs) {
      notBefore.set(row.user_ref, Number(row.not_before));
    }
    // Locked people get no token at all, however fresh.
    for (const row of locks) notBefore.set(row.user_ref, Infinity);
    return {
      endedSignIns: ended.map(row => row.external_id),
      notBefore,
    };
  }
}
