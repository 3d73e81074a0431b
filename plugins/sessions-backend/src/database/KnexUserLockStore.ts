import { Knex } from 'knex';
import { UserLock, UserLockStore } from './UserLockStore';
import { chunks, toIso } from './sqlHelpers';

const LOCKS = 'user_locks';
const CUTOFFS = 'sign_in_cutoffs';

/** The {@link UserLockStore} on any database knex speaks to. */
export class KnexUserLockStore implements UserLockStore {
  constructor(private readonly db: Knex) {}

  async lock(userRef: string, lockedBy: string, at: number): Promise<boolean> {
    return this.db.transaction(async trx => {
      const before = await trx(LOCKS).where('user_ref', userRef).first();
      if (before) return false;
      await trx(LOCKS)
        .insert({
          user_ref: userRef,
          locked_at: at,
          locked_by: lockedBy,
          reason: 'offboarding',
        })
        .onConflict('user_ref')
        .ignore();
      // Tokens issued before the lock stay refused after an unlock.
      await trx(CUTOFFS)
        .insert({ user_ref: userRef, not_before: at })
        .onConflict('user_ref')
        .merge();
      return true;
    });
  }

  async unlock(userRef: string): Promise<boolean> {
    return (await this.db(LOCKS).where('user_ref', userRef).delete()) > 0;
  }

  async lockedAmong(userRefs: string[]): Promise<Set<string>> {
    const locked = new Set<string>();
    for (const chunk of chunks([...new Set(userRefs)])) {
      const rows = await this.db(LOCKS)
        .whereIn('user_ref', chunk)
        .select('user_ref');
      for (const row of rows) locked.add(row.user_ref);
    }
    return locked;
  }

  async listLocks(): Promise<UserLock[]> {
    const rows = await this.db(LOCKS).orderBy('locked_at', 'desc').select();
    return rows.map(row => ({
      userRef: row.user_ref,
      lockedAt: toIso(row.locked_at),
      lockedBy: row.locked_by,
      reason: row.reason,
    }));
  }
}
