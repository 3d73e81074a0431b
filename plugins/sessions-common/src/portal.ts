import { z } from 'zod';
import { safeText } from './safeText';

/**
 * The connector id portal sign-ins are reported under.
 *
 * @public
 */
export const PORTAL_SOURCE = 'portal';

/**
 * The claim of a portal user token that names its sign-in.
 *
 * @public
 */
export const SIGN_IN_ID_CLAIM = 'sid';

/**
 * The claim of a portal user token issued while its sign-in waits for the
 * person's authenticator code (`sessions.signIn.secondFactor`): every
 * plugin's token check refuses such a token, except the sessions plugin's
 * heartbeat and code routes, which the code screen needs.
 *
 * @public
 */
export const AWAITING_CODE_CLAIM = 'awaiting_code';

/**
 * What refuses a token of a sign-in that waits for its code.
 *
 * @public
 */
export const AWAITING_CODE_MESSAGE =
  'Enter the code from your authenticator app to finish signing in';

/**
 * Body of `POST /portal/heartbeat`: the sign-in the tab holds, and
 * `active`: whether the person used the tab (keyboard, pointer, wheel or
 * scroll, touch, or the tab coming back into view or focus) since its
 * last heartbeat. Only an active heartbeat counts as the sign-in's
 * activity, so an untouched or hidden tab lets it idle like any session.
 * Absent means `true`, as older frontends send it.
 *
 * @public
 */
export const portalHeartbeatBodySchema = z
  .object({
    sid: safeText({ min: 1, max: 255, trim: false }),
    active: z.boolean().optional(),
  })
  .strict();

/**
 * What the heartbeat learns about the tab's sign-in.
 *
 * @public
 */
export interface PortalHeartbeat {
  /**
   * `open`: still signed in (an active heartbeat counts as activity); `ended`:
   * signed out from Active Sessions, the tab must sign out; `unknown`: not
   * a tracked sign-in of the caller; `awaiting-code`: the sign-in waits
   * for the person's authenticator code (`POST /portal/second-factor`)
   * until `codeDueAt`, and is ended if none comes.
   */
  state: 'open' | 'ended' | 'unknown' | 'awaiting-code';
  /** With `awaiting-code`: when the sign-in ends without a code (ISO 8601). */
  codeDueAt?: string;
}

/**
 * Body of the connector route `POST /connector/portal/second-factor`: the
 * auth plugin asks whether a sign-in must wait for a code. `decide` on a
 * new sign-in (the sessions plugin decides by `sessions.signIn`), not on a
 * refresh (it only reads what was decided). `deviceProof` names the browser
 * (the SHA-256 of a secret in its cookie) so a browser that passed is
 * remembered; `nextDeviceProof` names the new secret the browser is given
 * when it must wait for the code, the one remembered once it passes (a
 * secret someone planted in the browser beforehand never is).
 *
 * @public
 */
export const portalSecondFactorQuerySchema = z
  .object({
    sid: safeText({ min: 1, max: 255, trim: false }),
    deviceProof: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, {
        message: 'must be a SHA-256 digest in base64url (43 characters)',
      })
      .optional(),
    nextDeviceProof: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, {
        message: 'must be a SHA-256 digest in base64url (43 characters)',
      })
      .optional(),
    decide: z.boolean(),
  })
  .strict();

/**
 * Whether a sign-in waits for its code, and until when (ISO 8601).
 *
 * @public
 */
export interface PortalSecondFactorState {
  /**
   * The sign-in itself: `ended` (from the page, by the sweep, or by
   * logout) and `unknown` ones cannot refresh.
   */
  signIn: 'open' | 'ended' | 'unknown';
  awaitingCode: boolean;
  codeDueAt?: string;
}

/**
 * Whether signing a browser out cuts its tokens, and how fast.
 *
 * @public
 */
export interface PortalStatus {
  /**
   * `enforced`: every plugin in this backend refuses a signed-out
   * browser's tokens; `advisory`: the token check is not installed, a
   * signed-out browser keeps working until its token expires.
   */
  tokenCheck: 'enforced' | 'advisory';
  /** The longest a signed-out token still works where enforced. */
  refreshIntervalMs: number;
  heartbeatIntervalMs: number;
}
