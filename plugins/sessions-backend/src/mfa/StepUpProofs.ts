import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived proofs that a user just passed a second-factor check: the
 * user and an expiry, signed with a key derived from the MFA encryption
 * key, so every replica with the same config accepts them and no other
 * user can use them.
 */
export class StepUpProofs {
  private readonly key: Buffer;

  constructor(encryptionKey: Buffer) {
    this.key = Buffer.from(
      hkdfSync('sha256', encryptionKey, '', 'active-sessions step-up', 32),
    );
  }

  issue(userRef: string, expiresAt: number): string {
    const payload = Buffer.from(
      JSON.stringify({ sub: userRef, exp: expiresAt }),
    ).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** True when the proof is this user's, intact and not expired. */
  isValid(proof: string | undefined, userRef: string, now: number): boolean {
    if (!proof) return false;
    const [payload, signature] = proof.split('.');
    if (!payload || !signature) return false;
    const expected = Buffer.from(this.sign(payload));
    const actual = Buffer.from(signature);
    if (
      actual.length !== expected.length ||
      !timingSafeEqual(actual, expected)
    ) {
      return false;
    }
    try {
      const { sub, exp } = JSON.parse(
        Buffer.from(payload, 'base64url').toString('utf8'),
      );
      return sub === userRef && typeof exp === 'number' && now < exp;
    } catch {
      return false;
    }
  }

  private sign(payload: string) {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
