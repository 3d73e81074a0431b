import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { canonicalEntityRef } from '@active-sessions/plugin-sessions-common';

/**
 * The signed-in caller as the tables name people: canonical (lower-case).
 * Every comparison with a stored ref goes through this, never through the
 * token's own spelling (`user:default/JaneDoe`).
 */
export function callerRef(
  credentials: BackstageCredentials<BackstageUserPrincipal>,
): string {
  return canonicalEntityRef(credentials.principal.userEntityRef);
}
