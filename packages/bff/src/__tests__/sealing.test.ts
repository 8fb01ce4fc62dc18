import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BffError } from '../errors.js';
import { sealingKeys, sessionIdHash } from '../sealing.js';

const key = () => randomBytes(32).toString('base64url');

describe('sealingKeys', () => {
  it('seals with AES-256-GCM: the value opens, holds no plaintext, differs each time', () => {
    const keys = sealingKeys(key());
    const secret = 'refresh-token-0123456789';
    const once = keys.seal(secret, 'row-1');
    expect(once).not.toContain(secret);
    expect(Buffer.from(once.split('.')[1]!, 'base64url').toString('latin1')).not.toContain(secret);
    expect(keys.seal(secret, 'row-1')).not.toBe(once);
    expect(keys.open(once, 'row-1')).toBe(secret);
  });

  it('refuses a value moved to another row, altered, or sealed with a key it does not hold', () => {
    const keys = sealingKeys(key());
    const sealed = keys.seal('tokens', 'row-1');
    expect(() => keys.open(sealed, 'row-2')).toThrow(BffError);
    const [id, data] = sealed.split('.') as [string, string];
    const bytes = Buffer.from(data, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => keys.open(`${id}.${bytes.toString('base64url')}`, 'row-1')).toThrow(
      expect.objectContaining({ code: 'sealed_value_invalid' }),
    );
    expect(() => sealingKeys(key()).open(sealed, 'row-1')).toThrow(
      expect.objectContaining({ code: 'sealed_value_invalid' }),
    );
  });

  it('rotates: the new key seals, the old one still opens what it sealed', () => {
    const [oldKey, newKey] = [key(), key()];
    const before = sealingKeys(oldKey).seal('tokens', 'row');
    const rotated = sealingKeys(`${newKey},${oldKey}`);
    expect(rotated.open(before, 'row')).toBe('tokens');
    const after = rotated.seal('tokens', 'row');
    expect(() => sealingKeys(oldKey).open(after, 'row')).toThrow(BffError);
    expect(sealingKeys(newKey).open(after, 'row')).toBe('tokens');
  });

  it('refuses keys that are not 32 bytes, with a typed error', () => {
    expect(() => sealingKeys('short')).toThrow(expect.objectContaining({ code: 'config_invalid' }));
    expect(() => sealingKeys('')).toThrow(expect.objectContaining({ code: 'config_invalid' }));
  });

  it('hashes session ids (SHA-256): the store never holds one', () => {
    const id = randomBytes(32).toString('base64url');
    expect(sessionIdHash(id)).toMatch(/^[0-9a-f]{64}$/);
    expect(sessionIdHash(id)).not.toContain(id);
  });
});
