import { z } from 'zod';
import { entityRefSchema, searchTextSchema } from './schemas';

/**
 * What offboarding a person would cut, as far as the caller may see.
 *
 * @public
 */
export interface OffboardPreview {
  userRef: string;
  /** Whether offboarding locked them; absent when the caller may not lock them. */
  locked?: boolean;
  /** The caller may offboard (lock) this person; false: outside their scope. */
  mayOffboard: boolean;
  sessions: Array<{
    resourceName: string;
    resourceType: string;
    count: number;
  }>;
  grants: Array<{ kind: string; count: number }>;
}

/**
 * What offboarding did for one person.
 *
 * @public
 */
export interface OffboardResult {
  userRef: string;
  /** The lock is in place (set now, or already). */
  locked: boolean;
  endedSessions: Array<{ id: string; resourceName: string }>;
  revokedGrants: Array<{ id: string; target: string; kind: string }>;
  /** Open sessions and active grants the caller may see but not cut. */
  notAllowed: { sessions: number; grants: number };
}

/**
 * A person whose new sessions and grants are refused.
 *
 * @public
 */
export interface UserLock {
  userRef: string;
  lockedAt: string;
  lockedBy: string;
  reason: 'offboarding';
}

/**
 * A person in the People view, with what they hold right now.
 *
 * @public
 */
export interface PersonSummary {
  userRef: string;
  openSessions: number;
  activeGrants: number;
  /** Whether offboarding locked them; absent when the caller may not lock them. */
  locked?: boolean;
  /** The caller may offboard (lock) this person. */
  mayOffboard: boolean;
}

/** @public */
export const peopleQuerySchema = z
  .object({
    q: searchTextSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

/** @public */
export const offboardBodySchema = z
  .object({ users: z.array(entityRefSchema).min(1).max(50) })
  .strict();
