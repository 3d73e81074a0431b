import { z } from 'zod';

/**
 * What the page shows about the caller's second factor.
 *
 * @public
 */
export interface MfaStatus {
  /** The portal has an encryption key, so people can enrol. */
  available: boolean;
  enrolled: boolean;
  recoveryCodesLeft: number;
  /** Set while too many wrong codes keep verification locked. */
  lockedUntil: string | null;
  stepUp: {
    enabled: boolean;
    maxAgeSeconds: number;
    /** The actions that need a fresh step-up, e.g. `end-all-sessions`. */
    actions: string[];
  };
}

/**
 * A started enrolment: scan the URI (as a QR code) or type the secret.
 *
 * @public
 */
export interface MfaEnrolment {
  secret: string;
  otpauthUri: string;
}

/**
 * A passed step-up: send `proof` in the `x-sessions-step-up` header.
 *
 * @public
 */
export interface StepUpProof {
  proof: string;
  expiresAt: string;
}

/**
 * The header that carries a step-up proof.
 *
 * @public
 */
export const STEP_UP_HEADER = 'x-sessions-step-up';

/**
 * The `error.name`s the backend refuses critical actions with.
 *
 * @public
 */
export const STEP_UP_REQUIRED = 'StepUpRequiredError';
/** @public */
export const MFA_ENROLLMENT_REQUIRED = 'MfaEnrollmentRequiredError';
/** @public */
export const MFA_LOCKED = 'MfaLockedError';

const recoveryCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{8,20}$/, {
    message: 'must be one of your recovery codes',
  });

const totpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, { message: 'must be the 6-digit code from your app' });

/** @public */
export const mfaCodeBodySchema = z.object({ code: totpCodeSchema }).strict();

/**
 * A current code, or one of the recovery codes.
 *
 * @public
 */
export const secondFactorBodySchema = z.union(
  [
    z.object({ code: totpCodeSchema }).strict(),
    z.object({ recoveryCode: recoveryCodeSchema }).strict(),
  ],
  { message: 'give either code or recoveryCode' },
);
/** @public */
export type SecondFactorBody = z.output<typeof secondFactorBodySchema>;

const signInId = z.string().min(1).max(255);

/**
 * Body of `POST /portal/second-factor`: the sign-in waiting for its code
 * (the `sid` of the caller's token) and a current or recovery code.
 *
 * @public
 */
export const signInCodeBodySchema = z.union(
  [
    z.object({ sid: signInId, code: totpCodeSchema }).strict(),
    z.object({ sid: signInId, recoveryCode: recoveryCodeSchema }).strict(),
  ],
  { message: 'give sid and either code or recoveryCode' },
);
/** @public */
export type SignInCodeBody = z.output<typeof signInCodeBodySchema>;
