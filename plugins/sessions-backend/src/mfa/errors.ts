import { CustomErrorBase } from '@backstage/errors';

/**
 * Machine-readable refusals the page understands. Backstage's error
 * handler sends `error.name` and uses `statusCode` for the response.
 */

/** The action needs a fresh step-up proof: verify a code, then retry. */
export class StepUpRequiredError extends CustomErrorBase {
  name = 'StepUpRequiredError' as const;
  statusCode = 403;
}

/** The action needs a second factor the caller has not set up yet. */
export class MfaEnrollmentRequiredError extends CustomErrorBase {
  name = 'MfaEnrollmentRequiredError' as const;
  statusCode = 403;
}

/** Too many wrong codes: verification is refused until the lock ends. */
export class MfaLockedError extends CustomErrorBase {
  name = 'MfaLockedError' as const;
  statusCode = 429;
}
