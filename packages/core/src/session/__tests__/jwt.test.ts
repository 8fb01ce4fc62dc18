import { describe, expect, it } from 'vitest';
import { decodeJwt } from '../jwt.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('decodeJwt', () => {
  it('reads the payload, UTF-8 included, without verifying', () => {
    const token = `${b64({ alg: 'HS256' })}.${b64({ exp: 123, name: 'Zoë ✓' })}.sig`;
    expect(decodeJwt(token)).toEqual({ exp: 123, name: 'Zoë ✓' });
  });

  it('decodes base64url payloads that use - and _', () => {
    const claims = { sub: '?ÿ>' };
    const part = b64(claims);
    expect(part).toMatch(/-/);
    expect(part).toMatch(/_/);
    expect(decodeJwt(`h.${part}.s`)).toEqual(claims);
  });

  it.each(['opaque', '', 'a.%%%.c', `x.${b64('a string')}.y`])('returns {} for %j', (token) => {
    expect(decodeJwt(token)).toEqual({});
  });
});
