import { Knex } from 'knex';
import {
  AttemptLimits,
  AttemptReservation,
  MfaEnrolment,
  MfaStore,
} from './MfaStore';
import { insertChunked } from './sqlHelpers';

const ENROLMENTS = 'mfa_enrolments';
const RECOVERY_CODES = 'mfa_recovery_codes';
const FAILURES = 'mfa_failures';

const numberOrNull = (value: number | string | null) =>
  value === null ? null : Number(value);

/** The {@link MfaStore} on any database knex speaks to. */
export class KnexMfaStore implements MfaStore {
  constructor(private readonly db: Knex) {}

  async getEnrolment(userRef: string): Promise<MfaEnrolment | undefined> {
    const row = await this.db(ENROLMENTS).where('user_ref', userRef).first();
    if (!row) return undefined;
    return {
      userRef: row.user_ref,
      secretCiphertext: row.secret_ciphertext,
      status: row.status,
      createdAt: Number(row.created_at),
      activatedAt: numberOrNull(row.activated_at),
      lastTimeStep: numberOrNull(row.last_time_step),
      lockedUntil: numberOrNull(row.locked_until),
    };
  }

  async savePendingEnrolment(
    userRef: string,
    secretCiphertext: string,
    at: number,
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      const existing = await trx(ENROLMENTS).where('user_ref', userRef).first();
      if (existing?.status === 'active') return false;
      if (existing) {
        await trx(ENROLMENTS)
          .where({ user_ref: userRef, status: 'pending' })
          .update({ secret_ciphertext: secretCiphertext, created_at: at });
      } else {
        await trx(ENROLMENTS).insert({
          user_ref: userRef,
          secret_ciphertext: secretCiphertext,
          status: 'pending',
          created_at: at,
        });
      }
      return true;
    });
  }

  async activate(
    userRef: string,
    timeStep: number,
    recoveryCodeHashes: string[],
    at: number,
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      const count = await trx(ENROLMENTS)
        .where({ user_ref: userRef, status: 'pending' })
        .update({
          status: 'active',
          activated_at: at,
          last_time_step: timeStep,
        });
      if (count === 0) return false;
      await trx(RECOVERY_CODES).where('user_ref', userRef).delete();
      await insertChunked(
        trx,
        RECOVERY_CODES,
        recoveryCodeHashes.map(hash => ({
          user_ref: userRef,
          code_hash: hash,
        })),
      );
      return true;
    });
  }

  async acceptTimeStep(userRef: string, timeStep: number): Promise<boolean> {
    const count = await this.db(ENROLMENTS)
      .where({ user_ref: userRef, status: 'active' })
      .where(step =>
        step
          .whereNull('last_time_step')
          .orWhere('last_time_step', '<', timeStep),
      )
      .update({ last_time_step: timeStep });
    return count === 1;
  }

  async replaceSecret(userRef: string, secretCiphertext: string) {
    await this.db(ENROLMENTS)
      .where('user_ref', userRef)
      .update({ secret_ciphertext: secretCiphertext });
  }

  async unusedRecoveryCodes(userRef: string) {
    const rows = await this.db(RECOVERY_CODES)
      .where('user_ref', userRef)
      .whereNull('used_at')
      .orderBy('id')
      .select('id', 'code_hash');
    return rows.map(row => ({ id: Number(row.id), hash: row.code_hash }));
  }

  async useRecoveryCode(id: number, at: number): Promise<boolean> {
    const count = await this.db(RECOVERY_CODES)
      .where('id', id)
      .whereNull('used_at')
      .update({ used_at: at });
    return count === 1;
  }

  async reserveAttempt(
    userRef: string,
    at: number,
    limits: AttemptLimits,
  ): Promise<AttemptReservation> {
    return this.db.transaction(async trx => {
      // The row lock makes parallel attempts of one user take turns (a
      // writing transaction holds the whole database on SQLite).
      const enrolment = await trx(ENROLMENTS)
        .where('user_ref', userRef)
        .forUpdate()
        .first('locked_until');
      const lockedUntil = numberOrNull(enrolment?.locked_until ?? null);
      if (lockedUntil !== null && lockedUntil > at) {
        return { allowed: false as const, lockedUntil };
      }
      const [{ count }] = await trx(FAILURES)
        .where('user_ref', userRef)
        .where('at', '>=', at - limits.windowMs)
        .count({ count: '*' });
      if (Number(count) >= limits.maxFailures) {
        const until = at + limits.lockMs;
        await trx(ENROLMENTS)
          .where('user_ref', userRef)
          .update({ locked_until: until });
        return { allowed: false as const, lockedUntil: until };
      }
      await trx(FAILURES).insert({ user_ref: userRef, at });
      const failures = Number(count) + 1;
      if (failures < limits.maxFailures) {
        return { allowed: true as const, failures, lockedUntil: null };
      }
      // The last attempt allowed locks now; its success lifts the lock.
      const until = at + limits.lockMs;
      await trx(ENROLMENTS)
        .where('user_ref', userRef)
        .update({ locked_until: until });
      return { allowed: true as const, failures, lockedUntil: until };
    });
  }

  async clearFailures(userRef: string) {
    await this.db.transaction(async trx => {
      await trx(FAILURES).where('user_ref', userRef).delete();
      await trx(ENROLMENTS)
        .where('user_ref', userRef)
        .update({ locked_until: null });
    });
  }

  async deleteEnrolment(userRef: string) {
    await this.db.transaction(async trx => {
      await trx(RECOVERY_CODES).where('user_ref', userRef).delete();
      await trx(FAILURES).where('user_ref', userRef).delete();
      await trx(ENROLMENTS).where('user_ref', userRef).delete();
    });
  }
}
