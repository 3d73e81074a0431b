/**
 * The kinds of elevated grant.
 *
 * @public
 */
export const GRANT_KINDS = ['device_admin', 'timed_access'] as const;
/** @public */
export type GrantKind = (typeof GRANT_KINDS)[number];

/**
 * `active` until `expiresAt`; then `expired`. Revoked here (by a person or
 * by giving it back) it is `revoking` until its connector confirms the
 * privilege is removed, then `revoked`; ended at its source it is `revoked`
 * at once.
 *
 * @public
 */
export const GRANT_STATUSES = [
  'active',
  'revoking',
  'expired',
  'revoked',
] as const;
/** @public */
export type GrantStatus = (typeof GRANT_STATUSES)[number];

/**
 * The caller's own elevated grants in numbers (`GET /grants/stats`), for
 * the page's header: those in force per kind, and those revoked here that
 * their connector has not confirmed removed yet.
 *
 * @public
 */
export interface GrantStats {
  deviceAdmin: number;
  timedAccess: number;
  revoking: number;
}

/**
 * Why a grant stopped before its expiry.
 *
 * @public
 */
export const GRANT_REVOKE_REASONS = [
  'revoked',
  'given_back',
  'ended_at_source',
  'offboarding',
] as const;
/** @public */
export type GrantRevokeReason = (typeof GRANT_REVOKE_REASONS)[number];

/**
 * An elevated grant: admin/sudo on a device until an expiry (`device_admin`),
 * or temporary access to a resource (`timed_access`). Times are ISO 8601.
 *
 * @public
 */
export interface AccessGrant {
  id: string;
  kind: GrantKind;
  userRef: string;
  /** The device or resource the grant is on. */
  target: string;
  /** What the target is, such as `device`, `aws-account`, `k8s-namespace`. */
  targetType: string;
  grantedBy: string | null;
  reason: string | null;
  source: string;
  externalId: string;
  status: GrantStatus;
  startsAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: GrantRevokeReason | null;
  /** A `revoking` grant not confirmed by then is flagged as such. */
  cutDeadlineAt: string | null;
  /** When the source confirmed the privilege is removed. */
  cutConfirmedAt: string | null;
  /** The connector's message when it reported it could not remove it. */
  cutFailure: string | null;
}

/** @public */
export interface GrantPage {
  items: AccessGrant[];
  nextCursor?: string;
}

/**
 * What happened to one id of a bulk revoke.
 *
 * @public
 */
export const GRANT_REVOKE_OUTCOMES = [
  'revoked',
  'already_ended',
  'denied',
  'not_found',
] as const;
/** @public */
export type GrantRevokeOutcome = (typeof GRANT_REVOKE_OUTCOMES)[number];

/** @public */
export interface GrantRevokeResult {
  results: Array<{ id: string; outcome: GrantRevokeOutcome }>;
}

/**
 * The approved length of a grant, in milliseconds.
 *
 * @public
 */
export function approvedDurationMs(
  grant: Pick<AccessGrant, 'startsAt' | 'expiresAt'>,
) {
  return Math.max(0, Date.parse(grant.expiresAt) - Date.parse(grant.startsAt));
}

/**
 * Time left before a grant expires, in milliseconds; 0 once past.
 *
 * @public
 */
export function remainingMs(
  grant: Pick<AccessGrant, 'expiresAt'>,
  now: number = Date.now(),
) {
  return Math.max(0, Date.parse(grant.expiresAt) - now);
}
