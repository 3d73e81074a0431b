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
 * Body of `POST /portal/heartbeat`: the sign-in the tab holds.
 *
 * @public
 */
export const portalHeartbeatBodySchema = z
  .object({
    sid: safeText({ min: 1, max: 255, trim: false }),
  })
  .strict();

/**
 * What the heartbeat learns about the tab's sign-in.
 *
 * @public
 */
export interface PortalHeartbeat {
  /**
   * `open`: still signed in (the heartbeat counts as activity); `ended`:
   * signed out from Active Sessions, the tab must sign out; `unknown`: not
   * a tracked sign-in of the caller.
   */
  state: 'open' | 'ended' | 'unknown';
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
