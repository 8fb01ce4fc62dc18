import { describe, expect, it } from 'vitest';
import { createSealer } from '../services/seal.js';

const OLD = 'old-secret-old-secret-old-secret-000000';
const NEW = 'new-secret-new-secret-new-secret-000000';

describe('createSealer', () => {
  it('opens what it sealed, and what a previous key sealed while that key is still listed', () => {
    const old = createSealer([OLD]);
    const sealed = old.seal('refresh-token-value');
    expect(sealed).not.toContain('refresh-token-value');
    expect(old.open(sealed)).toBe('refresh-token-value');
    expect(createSealer([NEW, OLD]).open(sealed)).toBe('refresh-token-value');
    expect(createSealer([NEW]).open(sealed)).toBeUndefined();
  });

  it('refuses anything tampered with or malformed', () => {
    const sealer = createSealer([NEW]);
    const sealed = Buffer.from(sealer.seal('value'), 'base64url');
    sealed[sealed.length - 1]! ^= 1;
    expect(sealer.open(sealed.toString('base64url'))).toBeUndefined();
    expect(sealer.open('')).toBeUndefined();
    expect(sealer.open('not-base64!')).toBeUndefined();
  });
});
