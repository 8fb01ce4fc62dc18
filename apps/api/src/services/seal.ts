import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Encrypts a value so that only this server (any instance with the same keys) can read it back. */
export interface Sealer {
  seal(value: string): string;
  /** The value, or `undefined` when no configured key opens it (rotated away, tampered with). */
  open(sealed: string): string | undefined;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with keys derived (HKDF-SHA-256) from the configured signing secrets, the first one
 * sealing and every one opening, as for access tokens. A stolen database alone does not reveal a
 * sealed refresh token.
 */
export function createSealer(secrets: readonly string[]): Sealer {
  const keys = secrets.map((secret) =>
    Buffer.from(hkdfSync('sha256', secret, 'tokenlane', 'refresh-token seal v1', 32)),
  );
  const openWith = (key: Buffer, data: Buffer): string | undefined => {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const body = data.subarray(IV_BYTES + TAG_BYTES);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  };
  return {
    seal(value) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys[0]!, iv);
      const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed) {
      const data = Buffer.from(sealed, 'base64url');
      if (data.length <= IV_BYTES + TAG_BYTES) return undefined;
      for (const key of keys) {
        const value = openWith(key, data);
        if (value !== undefined) return value;
      }
      return undefined;
    },
  };
}
