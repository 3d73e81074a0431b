import { SecretBox, parseKey } from './SecretBox';

const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);

describe('SecretBox', () => {
  it('seals with AES-256-GCM: the plain text is nowhere in the output', () => {
    const box = new SecretBox(KEY_A);
    const sealed = box.encrypt('JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(sealed.startsWith('v1:')).toBe(true);
    expect(box.decrypt(sealed)).toBe('JBSWY3DPEHPK3PXP');
    // A fresh IV every time.
    expect(box.encrypt('JBSWY3DPEHPK3PXP')).not.toBe(sealed);
  });

  it('refuses a tampered secret', () => {
    const box = new SecretBox(KEY_A);
    const parts = box.encrypt('JBSWY3DPEHPK3PXP').split(':');
    parts[4] = Buffer.from('tampered!!').toString('base64');
    expect(() => box.decrypt(parts.join(':'))).toThrow();
  });

  it('rotates keys: old secrets open with a previous key and ask to be re-sealed', () => {
    const sealedWithA = new SecretBox(KEY_A).encrypt('secret');
    const rotated = new SecretBox(KEY_B, [KEY_A]);
    expect(rotated.decrypt(sealedWithA)).toBe('secret');
    expect(rotated.needsReencryption(sealedWithA)).toBe(true);
    expect(rotated.needsReencryption(rotated.encrypt('secret'))).toBe(false);
    expect(() => new SecretBox(KEY_B).decrypt(sealedWithA)).toThrow(
      /sessions\.mfa\.previousEncryptionKeys/,
    );
  });

  it('takes only 32-byte keys', () => {
    expect(() => parseKey('c2hvcnQ=', 'sessions.mfa.encryptionKey')).toThrow(
      'sessions.mfa.encryptionKey must be 32 random bytes',
    );
  });
});
