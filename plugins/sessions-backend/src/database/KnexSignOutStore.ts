import { Knex } from 'knex';
import { PORTAL_SOURCE } from '@active-sessions/plugin-sessions-common';
import { SignOutList, SignOutStore, TokenProof } from './SignOutStore';

const ENDED = ['terminating', 'disconnected'];

/** The {@link SignOutStore} on any database knex speaks to. */
export class KnexSignOutStore implements SignOutStore {
  constructor(private readonly db: Knex) {}

  async readSignOuts(since: number, now: number): Promise<SignOutList> {
    const [ended, proofs, awaiting, cutoffs, locks] = await Promise.all([
      this.db('sessions')
        .where('source', PORTAL_SOURCE)
        .whereIn('status', ENDED)
        .where('ended_at', '>=', since)
        .select('external_id'),
      // From the few recently ended sign-ins to their tokens (the primary
      // key starts with the sid), not through every live token.
      this.db('sessions')
        .join(
          'sign_in_token_proofs',
          'sign_in_token_proofs.sid',
          'sessions.external_id',
        )
        .where('sessions.source', PORTAL_SOURCE)
        .whereIn('sessions.status', ENDED)
        .where('sessions.ended_at', '>=', since)
        .where('sign_in_token_proofs.expires_at', '>', now)
        .select('sign_in_token_proofs.proof'),
      // Tokens issued while their sign-in waited for its code: their
      // limited tokens carry no claim saying so, and stay refused after.
      this.db('sign_in_token_proofs')
        .where('awaiting_code', true)
        .where('expires_at', '>', now)
        .select('proof'),
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
      endedTokenProofs: [...proofs, ...awaiting].map(row => row.proof),
      notBefore,
    };
  }

  async recordTokenProof(token: TokenProof): Promise<void> {
    await this.db('sign_in_token_proofs')
      .insert({
        sid: token.sid,
        proof: token.proof,
        expires_at: token.expiresAt,
        awaiting_code: token.awaitingCode ?? false,
      })
      .onConflict(['sid', 'proof'])
      .ignore();
  }
}
