import { describe, expect, it } from 'vitest';
import { AuthError } from '../errors.js';
import { bodyTokenServer, cookieServer, tokenlaneServer } from '../serverProfile.js';

describe('tokenlaneServer', () => {
  it("is Tokenlane's API: Bearer, RFC 6750 expiry, a cookie, { accessToken, expiresIn, user }", () => {
    expect(tokenlaneServer.authorization('t')).toEqual(['Authorization', 'Bearer t']);
    expect(tokenlaneServer.isExpired({ status: 401, challenge: undefined })).toBe(true);
    expect(tokenlaneServer.isExpired({ status: 401, challenge: 'Bearer realm="api"' })).toBe(false);
    expect(tokenlaneServer.isExpired({ status: 403, challenge: undefined })).toBe(false);
    expect(tokenlaneServer.refreshToken).toBe('cookie');
    expect(
      tokenlaneServer.parseTokenResponse({ accessToken: 'a', expiresIn: 5, sessionExpiresIn: 60 }),
    ).toMatchObject({ accessToken: 'a', expiresIn: 5, sessionExpiresIn: 60 });
  });
});

describe('cookieServer', () => {
  // The convention of the popular blog recipe: raw token, 403 on expiry, { access_token }.
  const blog = cookieServer({
    login: '/api/user/login',
    refresh: '/api/user/refresh_token',
    scheme: 'raw',
    expiredStatus: [403],
  });

  it('sends the raw token, reads access_token, and takes 403 as expiry', () => {
    expect(blog.endpoints).toEqual({
      login: '/api/user/login',
      refresh: '/api/user/refresh_token',
      logout: undefined,
    });
    expect(blog.authorization('t')).toEqual(['Authorization', 't']);
    expect(blog.isExpired({ status: 403, challenge: undefined })).toBe(true);
    expect(blog.isExpired({ status: 401, challenge: undefined })).toBe(false);
    expect(blog.parseTokenResponse({ access_token: 'a' })).toEqual({
      accessToken: 'a',
      expiresIn: undefined,
      user: undefined,
      refreshToken: undefined,
    });
    expect(blog.refreshBody(null)).toEqual({});
  });

  it('puts the token in another header with a prefix, and reads lifetime and user fields', () => {
    const custom = cookieServer({
      login: '/in',
      refresh: '/again',
      scheme: { header: 'X-Auth', prefix: 'Token ' },
      expiresInField: 'ttl',
      userField: 'me',
    });
    expect(custom.authorization('t')).toEqual(['X-Auth', 'Token t']);
    expect(custom.parseTokenResponse({ access_token: 'a', ttl: 9, me: { id: 1 } })).toMatchObject({
      expiresIn: 9,
      user: { id: 1 },
    });
  });

  it('refuses an answer without the access token with a typed error', () => {
    for (const answer of [{}, '', '<html>502</html>', null, { access_token: '' }]) {
      expect(() => blog.parseTokenResponse(answer)).toThrow(AuthError);
    }
  });
});

describe('bodyTokenServer', () => {
  // Django REST framework simplejwt.
  const simplejwt = bodyTokenServer({
    login: '/api/token/',
    refresh: '/api/token/refresh/',
    expiredStatus: [401],
  });

  it('reads { access, refresh }, and sends { refresh } to renew', () => {
    expect(simplejwt.refreshToken).toBe('body');
    expect(simplejwt.parseTokenResponse({ access: 'a', refresh: 'r' })).toMatchObject({
      accessToken: 'a',
      refreshToken: 'r',
    });
    // Without rotation, the answer has no refresh token: the held one stays.
    expect(simplejwt.parseTokenResponse({ access: 'a2' }).refreshToken).toBeUndefined();
    expect(simplejwt.refreshBody('r')).toEqual({ refresh: 'r' });
    expect(simplejwt.loginBody({ username: 'u', password: 'p' } as never)).toEqual({
      username: 'u',
      password: 'p',
    });
    expect(simplejwt.isExpired({ status: 401, challenge: 'Bearer realm="api"' })).toBe(true);
    expect(simplejwt.authorization('t')).toEqual(['Authorization', 'Bearer t']);
  });

  it('keeps only a refresh token that is a non-empty string, and says which field lacked the access token', () => {
    for (const refresh of ['', 7, null, { token: 'r' }]) {
      expect(simplejwt.parseTokenResponse({ access: 'a', refresh }).refreshToken).toBeUndefined();
    }
    expect(() => simplejwt.parseTokenResponse({ refresh: 'r' })).toThrow('No access');
    const named = bodyTokenServer({ login: '/l', refresh: '/r', accessTokenField: 'jwt' });
    expect(() => named.parseTokenResponse({ access: 'a' })).toThrow('No jwt');
    expect(named.parseTokenResponse({ jwt: 'a', expires_in: 5 })).toMatchObject({
      accessToken: 'a',
      expiresIn: undefined,
    });
    expect(named.logoutBody('r')).toEqual({ refresh: 'r' });
    expect(named.logoutBody(null)).toEqual({ refresh: null });
  });

  it('reads the lifetime only as a number, from the field named', () => {
    const timed = bodyTokenServer({ login: '/l', refresh: '/r', expiresInField: 'expires_in' });
    expect(timed.parseTokenResponse({ access: 'a', expires_in: 60 }).expiresIn).toBe(60);
    expect(timed.parseTokenResponse({ access: 'a', expires_in: '60' }).expiresIn).toBeUndefined();
  });

  it('names the refresh token field as the server does', () => {
    const other = bodyTokenServer({
      login: '/l',
      refresh: '/r',
      refreshTokenField: 'refresh_token',
    });
    expect(other.parseTokenResponse({ access: 'a', refresh_token: 'x' }).refreshToken).toBe('x');
    expect(other.refreshBody('x')).toEqual({ refresh_token: 'x' });
  });

  it('reads how long the session lives where the server says it (refresh_expires_in, or a named field)', () => {
    expect(
      simplejwt.parseTokenResponse({ access: 'a', refresh: 'r', refresh_expires_in: 1800 }),
    ).toMatchObject({ sessionExpiresIn: 1800 });
    expect(simplejwt.parseTokenResponse({ access: 'a', refresh_expires_in: 'soon' })).toMatchObject(
      {
        sessionExpiresIn: undefined,
      },
    );
    const named = cookieServer({ login: '/l', refresh: '/r', sessionExpiresInField: 'ttl' });
    expect(named.parseTokenResponse({ access_token: 'a', ttl: 90 })).toMatchObject({
      sessionExpiresIn: 90,
    });
    const unnamed = cookieServer({ login: '/l', refresh: '/r' });
    expect(unnamed.parseTokenResponse({ access_token: 'a', refresh_expires_in: 90 })).toMatchObject(
      {
        sessionExpiresIn: undefined,
      },
    );
  });
});
