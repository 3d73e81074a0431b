import { Knex } from 'knex';
import {
  OPEN_SESSION_STATUSES,
  PORTAL_SOURCE,
} from '@active-sessions/plugin-sessions-common';
import {
  SignInChallengeStore,
  SignInForChallenge,
} from './SignInChallengeStore';

const SESSIONS = 'sessions';
const TRUSTED = 'trusted_devices';

/** The {@link SignInChallengeStore} on any database knex speaks to. */
export class KnexSignInChallengeStore implements SignInChallengeStore {
  constructor(private readonly db: Knex) {}

  private signIn(sid: string, db: Knex = this.db) {
    return db(SESSIONS)
      .where('source', PORTAL_SOURCE)
      .where('external_id', sid);
  }

  async find(sid: string): Promise<SignInForChallenge | undefined> {
    const row = await this.signIn(sid).first(
      'user_ref',
      'status',
      'code_due_at',
      'device_proof',
    );
    if (!row) return undefined;
    return {
      userRef: row.user_ref,
      open: OPEN_SESSION_STATUSES.includes(row.status),
      codeDueAt: row.code_due_at === null ? null : Number(row.code_due_at),
      deviceProof: row.device_proof,
    };
  }

  async challenge(
    sid: string,
    dueAt: number,
    deviceProof?: string,
  ): Promise<boolean> {
    const changed = await this.signIn(sid)
      .whereIn('status', OPEN_SESSION_STATUSES)
      .update({ code_due_at: dueAt, device_proof: deviceProof ?? null });
    return changed > 0;
  }

  async isTrusted(
    userRef: string,
    deviceProof: string,
    at: number,
  ): Promise<boolean> {
    const row = await this.db(TRUSTED)
      .where({ user_ref: userRef, device_proof: deviceProof })
      .where('trusted_until', '>', at)
      .first('user_ref');
    return Boolean(row);
  }

  async pass(sid: string, trustedUntil: number): Promise<boolean> {
    return this.db.transaction(async trx => {
      const row = await this.signIn(sid, trx)
        .whereIn('status', OPEN_SESSION_STATUSES)
        .whereNotNull('code_due_at')
        .first('id', 'user_ref', 'device_proof');
      if (!row) return false;
      // Conditional, so two tabs passing at once pass it once.
      const changed = await trx(SESSIONS)
        .where('id', row.id)
        .whereNotNull('code_due_at')
        .update({ code_due_at: null });
      if (changed === 0) return false;
      if (row.device_proof) {
        await trx(TRUSTED)
          .insert({
            user_ref: row.user_ref,
            device_proof: row.device_proof,
            trusted_until: trustedUntil,
          })
          .onConflict(['user_ref', 'device_proof'])
          .merge(['trusted_until']);
      }
      return true;
    });
  }
}
