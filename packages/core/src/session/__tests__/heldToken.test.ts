import { describe, expect, it } from 'vitest';
import { SESSION_END_DRIFT_MS, sessionEnd, toHeldToken } from '../heldToken.js';
import { USER } from '@tokenlane/test-kit/fakes';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: object) => `${b64({ alg: 'HS256' })}.${b64(claims)}.sig`;
const NOW = 1_000_000;

describe('toHeldToken', () => {
  it('takes the lifetime from expiresIn, in seconds, less the second the server may have rounded away', () => {
    expect(toHeldToken({ accessToken: 'opaque', expiresIn: 60, user: USER }, null, NOW)).toEqual({
      token: 'opaque',
      user: USER,
      expiresAt: NOW + 59_000,
      lifetimeMs: 59_000,
    });
  });

  it('takes a quarter, not a second, off a token shorter than 4 s', () => {
    expect(toHeldToken({ accessToken: 'a', expiresIn: 2 }, null, NOW).lifetimeMs).toBe(1_500);
  });

  it('prefers expiresIn over the claims', () => {
    const token = jwt({ iat: 100, exp: 200 });
    expect(toHeldToken({ accessToken: token, expiresIn: 5 }, null, NOW).lifetimeMs).toBe(4_000);
  });

  it('reads exp - iat from a JWT without expiresIn, less the second iat may have been rounded down', () => {
    const iat = NOW / 1000;
    const held = toHeldToken({ accessToken: jwt({ iat, exp: iat + 90 }) }, null, NOW);
    expect(held).toMatchObject({ lifetimeMs: 89_000, expiresAt: NOW + 89_000 });
  });

  it('trusts exp - now when iat is older than the token (a server that copies an old iat)', () => {
    const now = NOW / 1000;
    const held = toHeldToken({ accessToken: jwt({ iat: now - 3600, exp: now + 3 }) }, null, NOW);
    expect(held.lifetimeMs).toBe(3_000);
  });

  it('trusts exp - iat when this clock is behind the server (exp looks far away)', () => {
    const serverNow = NOW / 1000 + 600;
    const token = jwt({ iat: serverNow, exp: serverNow + 60 });
    expect(toHeldToken({ accessToken: token }, null, NOW).lifetimeMs).toBe(59_000);
  });

  it('counts from now when the JWT has exp but no iat', () => {
    const exp = NOW / 1000 + 30;
    expect(toHeldToken({ accessToken: jwt({ exp }) }, null, NOW).lifetimeMs).toBe(30_000);
  });

  it('knows no lifetime for an opaque token without expiresIn', () => {
    expect(toHeldToken({ accessToken: 'opaque' }, null, NOW)).toMatchObject({
      expiresAt: null,
      lifetimeMs: null,
    });
  });

  it('keeps the current user when the response has none, and takes null as signed-in without a user', () => {
    expect(toHeldToken({ accessToken: 'a', expiresIn: 1 }, USER, NOW).user).toBe(USER);
    expect(toHeldToken({ accessToken: 'a', expiresIn: 1, user: null }, USER, NOW).user).toBeNull();
  });

  it("knows when the session ends: sessionExpiresIn from now, else the refresh JWT's exp, else not", () => {
    const said = toHeldToken(
      { accessToken: 'a', sessionExpiresIn: 3600, refreshToken: jwt({ exp: 5 }) },
      null,
      NOW,
    );
    expect(said.sessionEndsAt).toBe(NOW + 3_600_000);
    // simplejwt: the refresh token is a JWT whose exp is the end (its clock, as for access tokens).
    const fromJwt = toHeldToken({ accessToken: 'a', refreshToken: jwt({ exp: 7_200 }) }, null, NOW);
    expect(fromJwt.sessionEndsAt).toBe(7_200_000);
    expect(fromJwt.endExact).toBe(true);
    expect(said).not.toHaveProperty('endExact');
    const opaque = toHeldToken({ accessToken: 'a', refreshToken: 'opaque-refresh' }, null, NOW);
    expect(opaque).not.toHaveProperty('sessionEndsAt');
    expect(toHeldToken({ accessToken: 'a' }, null, NOW)).not.toHaveProperty('sessionEndsAt');
  });
});

describe('sessionEnd', () => {
  const KNOWN = 10_000_000;
  const { earlier, later } = SESSION_END_DRIFT_MS;

  it('takes what is said when nothing is known, keeps what is known when nothing is said', () => {
    expect(sessionEnd(null, 5)).toBe(5);
    expect(sessionEnd(KNOWN, null)).toBe(KNOWN);
    expect(sessionEnd(null, null)).toBeNull();
  });

  it('keeps the known end within the drift of rounding and latency, and moves beyond it', () => {
    expect(sessionEnd(KNOWN, KNOWN - earlier)).toBe(KNOWN);
    expect(sessionEnd(KNOWN, KNOWN - earlier - 1)).toBe(KNOWN - earlier - 1);
    expect(sessionEnd(KNOWN, KNOWN + later)).toBe(KNOWN);
    expect(sessionEnd(KNOWN, KNOWN + later + 1)).toBe(KNOWN + later + 1);
  });

  it('takes an exact end (a timestamp) as it is, however close', () => {
    expect(sessionEnd(KNOWN, KNOWN + 500, true)).toBe(KNOWN + 500);
  });
});
