import { Config } from '@backstage/config';

/**
 * What sign-ins and token checks do when Active Sessions cannot answer:
 * `allow` lets people in untracked, `deny` refuses them.
 *
 * @public
 */
export type WhenUnavailable = 'allow' | 'deny';

/**
 * `sessions.portal.whenUnavailable` from the root config (default `allow`).
 *
 * @public
 */
export function readWhenUnavailable(config: Config): WhenUnavailable {
  const value =
    config.getOptionalString('sessions.portal.whenUnavailable') ?? 'allow';
  if (value !== 'allow' && value !== 'deny') {
    throw new Error(
      "sessions.portal.whenUnavailable must be 'allow' or 'deny'",
    );
  }
  return value;
}
