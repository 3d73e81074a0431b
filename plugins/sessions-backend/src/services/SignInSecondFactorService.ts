import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { PortalSecondFactorState } from '@active-sessions/plugin-sessions-common';
import { SignInSettings } from '../config';
import { SignInChallengeStore } from '../database/SignInChallengeStore';
import { MfaService, SecondFactor } from '../mfa/MfaService';
import { callerRef } from './callerRef';

/** A sign-in waiting for its code until `dueAt`. */
const awaiting = (dueAt: number): PortalSecondFactorState => ({
  signIn: 'open',
  awaitingCode: true,
  codeDueAt: new Date(dueAt).toISOString(),
});

/** An open sign-in that needs no code. */
const NO_CODE: PortalSecondFactorState = {
  signIn: 'open',
  awaitingCode: false,
};

/**
 * The second factor at portal sign-in: whether a new sign-in must wait for
 * its person's authenticator code (`sessions.signIn.secondFactor`), and
 * the code that lets it through. While it waits, its tokens carry a claim
 * every plugin's token check refuses; the sweep ends it when no code came.
 */
export class SignInSecondFactorService {
  constructor(
    private readonly options: {
      store: SignInChallengeStore;
      mfa: Pick<MfaService, 'isEnrolled' | 'verifySignIn'>;
      settings: SignInSettings;
      auditor: AuditorService;
      now?: () => number;
    },
  ) {}

  private now() {
    return (this.options.now ?? Date.now)();
  }

  /**
   * For the auth plugin, as it issues a sign-in's token: whether the
   * sign-in waits for its code. `decide` on a new sign-in, once: after
   * that only the code (or the sweep) changes it.
   */
  async state(query: {
    sid: string;
    deviceProof?: string;
    nextDeviceProof?: string;
    decide: boolean;
  }): Promise<PortalSecondFactorState> {
    const { store, mfa, settings } = this.options;
    const signIn = await store.find(query.sid);
    // Unknown or ended: the token refresh that asks refuses it.
    if (!signIn) return { signIn: 'unknown', awaitingCode: false };
    if (!signIn.open) return { signIn: 'ended', awaitingCode: false };
    if (signIn.codeDueAt !== null) return awaiting(signIn.codeDueAt);
    if (!query.decide || settings.secondFactor === 'never') return NO_CODE;
    if (!(await mfa.isEnrolled(signIn.userRef))) return NO_CODE;
    const now = this.now();
    if (
      settings.secondFactor === 'newDevice' &&
      query.deviceProof &&
      (await store.isTrusted(signIn.userRef, query.deviceProof, now))
    ) {
      return NO_CODE;
    }
    const dueAt = now + settings.codeTimeoutMs;
    // The browser is remembered by the secret it is given now, not by one
    // it held: that could have been planted by someone who then signs in
    // with the password alone.
    if (!(await store.challenge(query.sid, dueAt, query.nextDeviceProof))) {
      return NO_CODE;
    }
    await this.audit(signIn.userRef, query.sid, 'challenged');
    return awaiting(dueAt);
  }

  /**
   * The code for the caller's own sign-in `sid`: a good one makes it a
   * normal sign-in and remembers its browser; a wrong one counts towards
   * the same lockout as step-up. A sign-in that is not the caller's, or
   * does not wait, is reported as such; passing twice changes nothing.
   */
  async verify(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    sid: string,
    factor: SecondFactor,
  ): Promise<void> {
    const { store, mfa, settings } = this.options;
    const userRef = callerRef(credentials);
    const signIn = await store.find(sid);
    if (!signIn || signIn.userRef !== userRef) {
      throw new NotFoundError(`body.sid: no sign-in of yours is ${sid}`);
    }
    if (!signIn.open) {
      throw new NotAllowedError(
        'This sign-in has ended (no code came in time); sign in again',
      );
    }
    if (signIn.codeDueAt === null) return;
    if (signIn.codeDueAt <= this.now()) {
      throw new NotAllowedError(
        'This sign-in waited too long for its code; sign in again',
      );
    }
    try {
      await mfa.verifySignIn(userRef, factor);
    } catch (error) {
      await this.audit(userRef, sid, 'refused', error as Error);
      throw error;
    }
    await store.pass(sid, this.now() + settings.rememberDeviceMs);
    await this.audit(userRef, sid, 'passed');
  }

  private async audit(
    userRef: string,
    sid: string,
    outcome: 'challenged' | 'passed' | 'refused',
    error?: Error,
  ) {
    const event = await this.options.auditor.createEvent({
      eventId: 'portal-second-factor',
      severityLevel: outcome === 'refused' ? 'medium' : 'low',
      meta: { userRef, sid, outcome },
    });
    if (error) await event.fail({ error });
    else await event.success();
  }
}
