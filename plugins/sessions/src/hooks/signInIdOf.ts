import { SIGN_IN_ID_CLAIM } from '@active-sessions/plugin-sessions-common';

/**
 * The portal sign-in a Backstage token belongs to: its `sid` claim, added
 * by the Active Sessions auth module. Undefined for tokens without one
 * (a provider that does not track sign-ins, or no token at all).
 */
export function signInIdOf(token: string | undefined): string | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const sid = JSON.parse(json)[SIGN_IN_ID_CLAIM];
    return typeof sid === 'string' ? sid : undefined;
  } catch {
    return undefined;
  }
}
