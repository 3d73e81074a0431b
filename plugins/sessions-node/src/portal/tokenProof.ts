import { createHash } from 'node:crypto';

/**
 * What Active Sessions keeps of a user token's `uip` claim, which is the
 * signature part of every limited token made from it: its SHA-256, so the
 * database never holds what would make a working limited token.
 *
 * @public
 */
export function tokenProof(uip: string): string {
  return createHash('sha256').update(uip).digest('base64url');
}

/**
 * Why a token of an ended sign-in is refused.
 *
 * @public
 */
export const SIGNED_OUT_MESSAGE =
  'This sign-in was ended from Active Sessions; sign in again';
