import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
} from 'node:crypto';

/** Key id: the first bytes of the key's hash, to find the key on decrypt. */
const keyId = (key: Buffer) =>
  createHash('sha256').update(key).digest('hex').slice(0, 8);

/** A 32-byte key from its base64 form, or a message naming the setting. */
export function parseKey(base64: string, setting: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) {
    throw new Error(
      `${setting} must be 32 random bytes in base64 (openssl rand -base64 32)`,
    );
  }
  return key;
}

/**
 * Encrypts small secrets with AES-256-GCM under the current key, and
 * decrypts what any listed key encrypted, so keys can be rotated: add the
 * new key as current, keep the old one under previous keys until every
 * secret was re-encrypted (see `needsReencryption`).
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  private readonly currentId: string;

  constructor(current: Buffer, previous: Buffer[] = []) {
    this.currentId = keyId(current);
    this.keys = new Map([
      ...previous.map(key => [keyId(key), key] as const),
      [this.currentId, current],
    ]);
  }

  /** `v1:<key id>:<iv>:<tag>:<ciphertext>`, base64 parts. */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(
      'aes-256-gcm',
      this.keys.get(this.currentId)!,
      iv,
    );
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      'v1',
      this.currentId,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join(':');
  }

  decrypt(sealed: string): string {
    const [version, id, iv, tag, body] = sealed.split(':');
    const key = this.keys.get(id);
    if (version !== 'v1' || !key) {
      throw new Error(
        `No key for an MFA secret encrypted with key ${id}; keep it in sessions.mfa.previousEncryptionKeys`,
      );
    }
    const decipher = createDecipheriv(
      'aes-256-gcm',
      key,
      Buffer.from(iv, 'base64'),
    );
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  }

  /** Encrypted with an older key: re-encrypt it on next use. */
  needsReencryption(sealed: string): boolean {
    return sealed.split(':')[1] !== this.currentId;
  }
}
