import {
  AuditorService,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { MfaStatus } from '@active-sessions/plugin-sessions-common';
import { MfaSettings, StepUpSettings } from '../config';
import { MfaEnrolment, MfaStore } from '../database/MfaStore';
import { MfaLockedError } from './errors';
import {
  hashRecoveryCode,
  newRecoveryCodes,
  recoveryCodeMatches,
} from './recoveryCodes';
import { SecretBox } from './SecretBox';
import { StepUpProofs } from './StepUpProofs';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp';

/** What a person proves themselves with: a current code or a recovery code. */
export type SecondFactor = { code: string } | { recoveryCode: string };

const NOT_CONFIGURED =
  'Two-factor authentication is not configured on this portal: an administrator must set sessions.mfa.encryptionKey';

/**
 * The plugin's own second factor: enrolment (secret, QR URI, recovery
 * codes), verification with replay protection and lockout, step-up proofs,
 * and disabling. Every change and every verification is audited.
 */
export class MfaService {
  private readonly box?: SecretBox;
  private readonly proofs?: StepUpProofs;

  constructor(
    private readonly options: {
      store: MfaStore;
      mfa: MfaSettings;
      stepUp: StepUpSettings;
      auditor: AuditorService;
      now?: () => number;
    },
  ) {
    const { encryptionKey, previousEncryptionKeys } = options.mfa;
    if (encryptionKey) {
      this.box = new SecretBox(encryptionKey, previousEncryptionKeys);
      this.proofs = new StepUpProofs(encryptionKey);
    }
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }

  async status(user: BackstageUserPrincipal): Promise<MfaStatus> {
    const { store, stepUp } = this.options;
    const enrolment = await store.getEnrolment(user.userEntityRef);
    const enrolled = enrolment?.status === 'active';
    return {
      available: Boolean(this.box),
      enrolled,
      recoveryCodesLeft: enrolled
        ? (await store.unusedRecoveryCodes(user.userEntityRef)).length
        : 0,
      lockedUntil:
        enrolment?.lockedUntil && enrolment.lockedUntil > this.now()
          ? new Date(enrolment.lockedUntil).toISOString()
          : null,
      stepUp: {
        enabled: stepUp.enabled,
        maxAgeSeconds: Math.round(stepUp.maxAgeMs / 1000),
        actions: stepUp.actions,
      },
    };
  }

  /** A new secret to scan; activated only by a first valid code. */
  async startEnrolment(user: BackstageUserPrincipal) {
    const box = this.requireBox();
    const secret = newTotpSecret();
    const saved = await this.options.store.savePendingEnrolment(
      user.userEntityRef,
      box.encrypt(secret),
      this.now(),
    );
    if (!saved) {
      throw new ConflictError(
        'Two-factor authentication is already active; disable it first to enrol again',
      );
    }
    return {
      secret,
      otpauthUri: otpauthUri(
        secret,
        user.userEntityRef,
        this.options.mfa.issuer,
      ),
    };
  }

  /** Activates the pending enrolment; the recovery codes are shown once. */
  async activate(user: BackstageUserPrincipal, code: string) {
    const { store } = this.options;
    const box = this.requireBox();
    const userRef = user.userEntityRef;
    const enrolment = await store.getEnrolment(userRef);
    if (enrolment?.status !== 'pending') {
      throw new ConflictError('There is no enrolment to activate; start one');
    }
    const attempt = await this.reserveAttempt(userRef);
    const now = this.now();
    const timeStep = await verifyTotp(
      box.decrypt(enrolment.secretCiphertext),
      code,
      { atMs: now },
    );
    if (timeStep === undefined) {
      await this.fail(userRef, 'activate', attempt);
    }
    const recoveryCodes = newRecoveryCodes();
    const hashes = await Promise.all(recoveryCodes.map(hashRecoveryCode));
    if (!(await store.activate(userRef, timeStep!, hashes, now))) {
      throw new ConflictError('The enrolment changed meanwhile; start again');
    }
    await store.clearFailures(userRef);
    await this.audit('mfa-enrol', userRef, { action: 'activate' });
    return { recoveryCodes };
  }

  /** Checks a second factor and hands out a step-up proof. */
  async verify(user: BackstageUserPrincipal, factor: SecondFactor) {
    const enrolment = await this.checkFactor(
      user.userEntityRef,
      factor,
      'step-up',
    );
    const expiresAt = this.now() + this.options.stepUp.maxAgeMs;
    await this.audit('mfa-step-up', user.userEntityRef, {
      with: 'code' in factor ? 'code' : 'recovery-code',
    });
    return {
      proof: this.proofs!.issue(
        user.userEntityRef,
        expiresAt,
        enrolment.activatedAt!,
      ),
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  /**
   * Checks the second factor of a portal sign-in waiting for it: the same
   * codes, replay guard and lockout as step-up, audited as `mfa-sign-in`.
   */
  async verifySignIn(userRef: string, factor: SecondFactor): Promise<void> {
    await this.checkFactor(userRef, factor, 'sign-in');
    await this.audit('mfa-sign-in', userRef, {
      with: 'code' in factor ? 'code' : 'recovery-code',
    });
  }

  async disable(user: BackstageUserPrincipal, factor: SecondFactor) {
    await this.checkFactor(user.userEntityRef, factor, 'disable');
    await this.options.store.deleteEnrolment(user.userEntityRef);
    await this.audit('mfa-disable', user.userEntityRef, {});
  }

  /**
   * True when the proof is the user's own, still fresh, and was earned with
   * the enrolment they have now: turning two-factor off, or enrolling again,
   * voids the proofs earned before.
   */
  async hasFreshProof(
    userRef: string,
    proof: string | undefined,
  ): Promise<boolean> {
    const earned = this.proofs?.read(proof, userRef, this.now());
    if (!earned) return false;
    const enrolment = await this.options.store.getEnrolment(userRef);
    return (
      enrolment?.status === 'active' &&
      enrolment.activatedAt === earned.enrolment
    );
  }

  async isEnrolled(userRef: string): Promise<boolean> {
    const enrolment = await this.options.store.getEnrolment(userRef);
    return enrolment?.status === 'active';
  }

  /** Checks a current or recovery code; returns the enrolment it matched. */
  private async checkFactor(
    userRef: string,
    factor: SecondFactor,
    purpose: string,
  ): Promise<MfaEnrolment> {
    const { store } = this.options;
    const box = this.requireBox();
    const enrolment = await store.getEnrolment(userRef);
    if (enrolment?.status !== 'active') {
      throw new ConflictError('Two-factor authentication is not set up');
    }
    // Counted before the code is looked at, so parallel guesses count too.
    const attempt = await this.reserveAttempt(userRef);
    if ('code' in factor) {
      const secret = box.decrypt(enrolment.secretCiphertext);
      const timeStep = await verifyTotp(secret, factor.code, {
        atMs: this.now(),
        afterTimeStep: enrolment.lastTimeStep ?? undefined,
      });
      // The conditional update is the replay guard across replicas.
      if (
        timeStep === undefined ||
        !(await store.acceptTimeStep(userRef, timeStep))
      ) {
        await this.fail(userRef, purpose, attempt);
      }
      if (box.needsReencryption(enrolment.secretCiphertext)) {
        await store.replaceSecret(userRef, box.encrypt(secret));
      }
    } else {
      const used = await this.useRecoveryCode(userRef, factor.recoveryCode);
      if (!used) await this.fail(userRef, purpose, attempt);
    }
    await store.clearFailures(userRef);
    return enrolment;
  }

  private async useRecoveryCode(userRef: string, code: string) {
    const { store } = this.options;
    for (const candidate of await store.unusedRecoveryCodes(userRef)) {
      if (await recoveryCodeMatches(code, candidate.hash)) {
        return store.useRecoveryCode(candidate.id, this.now());
      }
    }
    return false;
  }

  /** Reserves an attempt at a code, or refuses while the user is locked. */
  private async reserveAttempt(userRef: string) {
    const { lockout } = this.options.mfa;
    const attempt = await this.options.store.reserveAttempt(
      userRef,
      this.now(),
      {
        windowMs: lockout.windowMs,
        maxFailures: lockout.maxFailures,
        lockMs: lockout.durationMs,
      },
    );
    if (!attempt.allowed) {
      throw new MfaLockedError(
        `Too many wrong codes; try again after ${new Date(
          attempt.lockedUntil,
        ).toISOString()}`,
      );
    }
    return attempt;
  }

  /** Refuses the code; says so with the lock when it was the last try. */
  private async fail(
    userRef: string,
    purpose: string,
    attempt: { failures: number; lockedUntil: number | null },
  ): Promise<never> {
    await this.audit(
      'mfa-step-up',
      userRef,
      { purpose, failures: attempt.failures },
      'failed',
    );
    if (attempt.lockedUntil !== null) {
      const until = new Date(attempt.lockedUntil).toISOString();
      await this.audit('mfa-lockout', userRef, { until });
      throw new MfaLockedError(
        `Too many wrong codes; try again after ${until}`,
      );
    }
    throw new InputError('body.code: not a valid code');
  }

  private requireBox(): SecretBox {
    if (!this.box) throw new ServiceUnavailableError(NOT_CONFIGURED);
    return this.box;
  }

  private async audit(
    eventId: string,
    userRef: string,
    meta: Record<string, unknown>,
    status: 'succeeded' | 'failed' = 'succeeded',
  ) {
    const event = await this.options.auditor.createEvent({
      eventId,
      severityLevel: status === 'failed' ? 'medium' : 'low',
      meta: { userRef, ...meta },
    });
    if (status === 'failed') {
      await event.fail({ error: new Error('not a valid second factor') });
    } else {
      await event.success();
    }
  }
}
