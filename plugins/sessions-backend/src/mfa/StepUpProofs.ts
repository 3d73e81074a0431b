import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived proofs that a user just passed a second-factor check: the
 * user, an expiry and the enrolment the check used (its activation time),
 * signed with a key derived from the MFA encryption key, so every replica
 * with the same config accepts them and no other user can use them.
 */
export class StepUpProofs {
  private readonly key: Buffer;

  constructor(encryptionKey: Buffer) {
    this.key = Buffer.from(
      hkdfSync('sha256', encryptionKey, '', 'active-sessions step-up', 32),
    );
  }

  issue(userRef: string, expiresAt: number, enrolment: number): string {
    const payload = Buffer.from(
      JSON.stringify({ sub: userRef, exp: expiresAt, enr: enrolment }),
    ).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /**
   * The enrolment a proof was earned with, when the proof is this user's,
   * intact and not expired; undefined otherwise.
   */
  read(
    proof: string | undefined,
    userRef: string,
    now: number,
  ): { enrolment: number } | undefined {
    if (!proof) return undefined;
    const [payload, signature] = proof.split('.');
    if (!payload || !signature) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const actual = Buffer.from(signature);
    if (
      actual.length !== expected.length ||
      !timingSafeEqual(actual, expected)
    ) {
      return undefined;
    }
    try {
      const { sub, exp, enr } = JSON.parse(
        Buffer.from(payload, 'base64url').toString('utf8'),
      );
      const fresh = sub === userRef && typeof exp === 'number' && now < exp;
      return fresh && typeof enr === 'number' ? { enrolment: enr } : undefined;
    } catch {
      return undefined;
    }
  }

  private sign(payload: string) {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
