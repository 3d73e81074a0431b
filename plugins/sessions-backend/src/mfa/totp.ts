import { generate, generateSecret, generateURI, verify } from 'otplib';

/**
 * The TOTP settings authenticator apps expect (RFC 6238 defaults): SHA-1,
 * 6 digits, 30-second steps.
 */
export const TOTP_SETTINGS = {
  algorithm: 'sha1',
  digits: 6,
  period: 30,
} as const;

/** A fresh base32 secret (160 bits, as RFC 4226 recommends). */
export const newTotpSecret = () => generateSecret({ length: 20 });

/** The `otpauth://` URI an authenticator app scans from a QR code. */
export function otpauthUri(secret: string, account: string, issuer: string) {
  return generateURI({
    issuer,
    label: account,
    secret,
    algorithm: TOTP_SETTINGS.algorithm,
    digits: TOTP_SETTINGS.digits,
    period: TOTP_SETTINGS.period,
  });
}

/** The code for a moment; tests and tools use it, the plugin verifies. */
export function totpCode(
  secret: string,
  atMs: number,
  digits: 6 | 8 = TOTP_SETTINGS.digits,
) {
  return generate({
    secret,
    algorithm: TOTP_SETTINGS.algorithm,
    digits,
    period: TOTP_SETTINGS.period,
    epoch: Math.floor(atMs / 1000),
  });
}

/**
 * The time step a code belongs to, accepting the steps before and after
 * now (clock drift of ±1 step) but none at or before `afterTimeStep`
 * (replay); undefined when the code is not valid.
 */
export async function verifyTotp(
  secret: string,
  code: string,
  options: { atMs: number; afterTimeStep?: number },
): Promise<number | undefined> {
  const result = await verify({
    secret,
    token: code,
    algorithm: TOTP_SETTINGS.algorithm,
    digits: TOTP_SETTINGS.digits,
    period: TOTP_SETTINGS.period,
    epoch: Math.floor(options.atMs / 1000),
    epochTolerance: TOTP_SETTINGS.period,
    ...(options.afterTimeStep !== undefined && {
      afterTimeStep: options.afterTimeStep,
    }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
