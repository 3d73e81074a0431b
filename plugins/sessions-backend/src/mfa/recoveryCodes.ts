import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
) => Promise<Buffer>;

export const RECOVERY_CODE_COUNT = 10;
/** Easy to read aloud and type: no 0/O or 1/I/L. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A code such as `K7QH-2MXP-9TRA`: 60 bits of randomness. */
function newCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map(byte => ALPHABET[byte % ALPHABET.length]);
  return [0, 4, 8].map(at => chars.slice(at, at + 4).join('')).join('-');
}

export const newRecoveryCodes = () =>
  Array.from({ length: RECOVERY_CODE_COUNT }, newCode);

/** Case and dashes do not matter when a person types a code back. */
export const normalizeRecoveryCode = (code: string) =>
  code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** `scrypt:<salt>:<hash>`, base64 parts; slow on purpose. */
export async function hashRecoveryCode(code: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(normalizeRecoveryCode(code), salt, 32);
  return `scrypt:${salt.toString('base64')}:${hash.toString('base64')}`;
}

export async function recoveryCodeMatches(
  code: string,
  stored: string,
): Promise<boolean> {
  const [scheme, salt, hash] = stored.split(':');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(
    normalizeRecoveryCode(code),
    Buffer.from(salt, 'base64'),
    expected.length,
  );
  return timingSafeEqual(actual, expected);
}
