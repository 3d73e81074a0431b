/** A user's TOTP enrolment. Instants are epoch ms. */
export interface MfaEnrolment {
  userRef: string;
  secretCiphertext: string;
  status: 'pending' | 'active';
  createdAt: number;
  activatedAt: number | null;
  lastTimeStep: number | null;
  lockedUntil: number | null;
}

/** How many wrong codes a window allows, and how long the lock then lasts. */
export interface AttemptLimits {
  windowMs: number;
  maxFailures: number;
  lockMs: number;
}

/**
 * An attempt that may be checked (`failures` counts it; `lockedUntil` is
 * set when it was the last one allowed), or one refused while locked.
 */
export type AttemptReservation =
  | { allowed: true; failures: number; lockedUntil: number | null }
  | { allowed: false; lockedUntil: number };

/**
 * Persistence of second-factor enrolments, recovery codes and failures.
 * The replay guard and the lockout are conditional statements here, so
 * they hold when several replicas verify codes for one user at once.
 */
export interface MfaStore {
  getEnrolment(userRef: string): Promise<MfaEnrolment | undefined>;
  /** Starts (or restarts) an enrolment; refused when one is active. */
  savePendingEnrolment(
    userRef: string,
    secretCiphertext: string,
    at: number,
  ): Promise<boolean>;
  /**
   * Activates a pending enrolment with its first accepted time step and
   * replaces the recovery codes, in one transaction.
   */
  activate(
    userRef: string,
    timeStep: number,
    recoveryCodeHashes: string[],
    at: number,
  ): Promise<boolean>;
  /**
   * Records an accepted time step unless this or a later one was accepted
   * before; false means the code was replayed.
   */
  acceptTimeStep(userRef: string, timeStep: number): Promise<boolean>;
  replaceSecret(userRef: string, secretCiphertext: string): Promise<void>;
  /** Unused recovery codes of the user, with their ids. */
  unusedRecoveryCodes(
    userRef: string,
  ): Promise<Array<{ id: number; hash: string }>>;
  /** Marks a recovery code used unless it already was; false if it was. */
  useRecoveryCode(id: number, at: number): Promise<boolean>;
  /**
   * Reserves one attempt at a code before the code is checked. The attempt
   * counts as a failure until a success clears it, and is counted under a
   * lock on the enrolment, so parallel attempts are counted one by one:
   * the one that reaches the limit locks the enrolment at once, and later
   * ones are refused without being checked.
   */
  reserveAttempt(
    userRef: string,
    at: number,
    limits: AttemptLimits,
  ): Promise<AttemptReservation>;
  /** After a success: forgets the failures and lifts the lock. */
  clearFailures(userRef: string): Promise<void>;
  /** Removes the enrolment and its recovery codes. */
  deleteEnrolment(userRef: string): Promise<void>;
}
