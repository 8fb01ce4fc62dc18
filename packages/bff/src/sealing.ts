import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { BffError } from './errors.js';

/**
 * AES-256-GCM keys for the token sets at rest: the first seals, every one opens (key rotation:
 * put the new key first, keep the old ones until every session sealed with them has ended or
 * been rewritten by its next refresh).
 */
export interface SealingKeys {
  /** Seals `plain`, bound to `context` (the session id's hash): a sealed value moved to another row does not open. */
  seal(plain: string, context: string): string;
  /** Opens a value `seal` made with any of the keys; throws `BffError('sealed_value_invalid')` otherwise. */
  open(sealed: string, context: string): string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key's id: the first 8 hex digits of its SHA-256, so a sealed value names the key that opens it. */
const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

/**
 * Reads keys as base64url (or base64) strings of 32 random bytes, comma-separated as in an
 * environment variable (`TOKENLANE_BFF_KEYS`), the sealing key first. Make one with
 * `node -e "console.log(crypto.randomBytes(32).toString('base64url'))"`.
 */
export function sealingKeys(keys: string | readonly string[]): SealingKeys {
  const list = (typeof keys === 'string' ? keys.split(',') : [...keys])
    .map((key) => key.trim())
    .filter(Boolean)
    .map((key) => Buffer.from(key, 'base64url'));
  if (list.length === 0 || list.some((key) => key.length !== 32)) {
    throw new BffError(
      'config_invalid',
      'The sealing keys must be one or more base64url strings of 32 bytes',
    );
  }
  const byId = new Map(list.map((key) => [keyId(key), key]));
  const current = list[0]!;
  const currentId = keyId(current);
  return {
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
      return `${currentId}.${sealed}`;
    },
    open(sealed, context) {
      const [id, data] = sealed.split('.');
      const key = byId.get(id ?? '');
      if (!key || !data) throw new BffError('sealed_value_invalid', 'No key opens this value');
      const bytes = Buffer.from(data, 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const body = bytes.subarray(IV_BYTES + TAG_BYTES);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new BffError('sealed_value_invalid', 'The value does not open', { cause: error });
      }
    },
  };
}

/** A new session id: 32 random bytes, base64url. Only the browser's cookie holds it. */
export const newSessionId = (): string => randomBytes(32).toString('base64url');

/** What the store keeps instead of a session id: its SHA-256, hex. */
export const sessionIdHash = (id: string): string => createHash('sha256').update(id).digest('hex');
