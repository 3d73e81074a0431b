import { StepUpAction, StepUpSettings } from '../config';
import { MfaEnrollmentRequiredError, StepUpRequiredError } from './errors';

/** Continues "… to <text>" in the guard's messages. */
const ACTION_TEXT: Record<StepUpAction, string> = {
  'end-all-sessions': 'end all your sessions',
  'bulk-revoke': 'revoke several grants at once',
  'act-for-others': "end or revoke someone else's access",
  offboard: 'offboard a person',
  unlock: "lift a person's lock",
  'disable-mfa': 'turn off two-factor authentication',
};

/** Who is acting, and the proof their request carried, if any. */
export interface StepUpContext {
  userRef: string;
  proof?: string;
}

/**
 * Lets critical actions through only with a fresh step-up proof, when
 * `sessions.stepUp.enabled` and the action is in `sessions.stepUp.actions`.
 * Otherwise refuses with a reason the page understands: enrol first, or
 * verify a code and retry.
 */
export class StepUpGuard {
  constructor(
    private readonly settings: StepUpSettings,
    private readonly mfa: {
      hasFreshProof(
        userRef: string,
        proof: string | undefined,
      ): Promise<boolean>;
      isEnrolled(userRef: string): Promise<boolean>;
    },
  ) {}

  async require(context: StepUpContext, action: StepUpAction): Promise<void> {
    if (!this.settings.enabled || !this.settings.actions.includes(action)) {
      return;
    }
    if (await this.mfa.hasFreshProof(context.userRef, context.proof)) return;
    if (!(await this.mfa.isEnrolled(context.userRef))) {
      throw new MfaEnrollmentRequiredError(
        `Set up two-factor authentication to ${ACTION_TEXT[action]}`,
      );
    }
    throw new StepUpRequiredError(
      `Confirm with your authenticator code to ${ACTION_TEXT[action]}`,
    );
  }
}

/** A guard for tests and portals that turn step-up off. */
export const noStepUp = new StepUpGuard(
  { enabled: false, maxAgeMs: 0, actions: [] },
  { hasFreshProof: async () => true, isEnrolled: async () => true },
);
