import { TOTP_SETTINGS, totpCode, verifyTotp } from './totp';

/** RFC 6238's SHA-1 test secret, the ASCII bytes of "12345678901234567890". */
const RFC_SECRET = Buffer.from('12345678901234567890')
  .toString('hex')
  .toUpperCase();
// otplib takes base32; this is the base32 of those 20 bytes.
const RFC_SECRET_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP as the plugin configures it', () => {
  it('uses what authenticator apps expect: SHA-1, 6 digits, 30 s', () => {
    expect(TOTP_SETTINGS).toEqual({ algorithm: 'sha1', digits: 6, period: 30 });
    expect(RFC_SECRET).toBe('3132333435363738393031323334353637383930');
  });

  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1234567890, '89005924'],
  ])(
    'matches RFC 6238 Appendix B at T=%p with 8 digits: %p',
    async (seconds, expected) => {
      expect(await totpCode(RFC_SECRET_BASE32, seconds * 1000, 8)).toBe(
        expected,
      );
    },
  );

  it('accepts the steps just before and after now, and no further', async () => {
    const now = 1_795_000_000_000;
    const codeAt = (offsetSteps: number) =>
      totpCode(RFC_SECRET_BASE32, now + offsetSteps * 30_000);
    const step = Math.floor(now / 30_000);
    for (const offset of [-1, 0, 1]) {
      expect(
        await verifyTotp(RFC_SECRET_BASE32, await codeAt(offset), {
          atMs: now,
        }),
      ).toBe(step + offset);
    }
    for (const offset of [-2, 2]) {
      expect(
        await verifyTotp(RFC_SECRET_BASE32, await codeAt(offset), {
          atMs: now,
        }),
      ).toBeUndefined();
    }
  });

  it('never accepts a code of a step already used', async () => {
    const now = 1_795_000_000_000;
    const code = await totpCode(RFC_SECRET_BASE32, now);
    const step = await verifyTotp(RFC_SECRET_BASE32, code, { atMs: now });
    expect(
      await verifyTotp(RFC_SECRET_BASE32, code, {
        atMs: now,
        afterTimeStep: step,
      }),
    ).toBeUndefined();
  });
});
