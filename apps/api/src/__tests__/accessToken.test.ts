import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AUDIENCE,
  createTokenService,
  InvalidTokenError,
  ISSUER,
  keyId,
} from '../services/tokens.js';
import { login, makeTestApp, type Session, type TestApp } from './helpers.js';

let t: TestApp;
let session: Session;
let claims: Record<string, unknown>;

beforeAll(async () => {
  t = await makeTestApp();
  session = await login(t.app);
  claims = jwt.decode(session.accessToken) as Record<string, unknown>;
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A token signed with the app's own secret, but with the given claims changed. */
function signed(overrides: Record<string, unknown>, omit: string[] = []) {
  const payload: Record<string, unknown> = { ...claims, ...overrides };
  for (const key of omit) delete payload[key];
  const secret = t.config.jwtSecrets[0]!;
  return jwt.sign(payload, secret, { algorithm: 'HS256', keyid: keyId(secret) });
}

function unsigned(alg: string, withSignature: boolean) {
  const [, , signature] = session.accessToken.split('.');
  return `${b64({ alg, typ: 'JWT' })}.${b64({ ...claims, role: 'admin' })}.${withSignature ? signature : ''}`;
}

const cases: Array<[string, () => string]> = [
  ...['none', 'None', 'NONE'].flatMap((alg): Array<[string, () => string]> => [
    [`alg ${alg} without signature`, () => `Bearer ${unsigned(alg, false)}`],
    [`alg ${alg} with a signature`, () => `Bearer ${unsigned(alg, true)}`],
  ]),
  [
    'an HS512 token',
    () => {
      const secret = t.config.jwtSecrets[0]!;
      return `Bearer ${jwt.sign(claims, secret, { algorithm: 'HS512', keyid: keyId(secret) })}`;
    },
  ],
  [
    'an RS256 token',
    () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return `Bearer ${jwt.sign(claims, privateKey, { algorithm: 'RS256' })}`;
    },
  ],
  ['a wrong secret', () => `Bearer ${jwt.sign(claims, 'another-secret-another-secret-another-1')}`],
  [
    'a flipped signature character',
    () => {
      const token = session.accessToken;
      const last = token.at(-2) === 'A' ? 'B' : 'A';
      return `Bearer ${token.slice(0, -2)}${last}${token.slice(-1)}`;
    },
  ],
  [
    'a tampered payload (role raised)',
    () => {
      const [header, , signature] = session.accessToken.split('.');
      return `Bearer ${header}.${b64({ ...claims, role: 'admin' })}.${signature}`;
    },
  ],
  ['a missing exp', () => `Bearer ${signed({}, ['exp'])}`],
  // Expired by more than the clock tolerance (60 s).
  ['an expired exp', () => `Bearer ${signed({ iat: now() - 200, exp: now() - 61 })}`],
  ['an nbf in the future', () => `Bearer ${signed({ nbf: now() + 600 })}`],
  ['a wrong iss', () => `Bearer ${signed({ iss: 'someone-else' })}`],
  ['a wrong aud', () => `Bearer ${signed({ aud: 'another-api' })}`],
  ['another token kind (typ refresh)', () => `Bearer ${signed({ typ: 'refresh' })}`],
  ['a token without a purpose claim', () => `Bearer ${signed({}, ['typ'])}`],
  ['the refresh token itself', () => `Bearer ${session.refreshToken}`],
  ['a two-part token', () => `Bearer ${session.accessToken.split('.').slice(0, 2).join('.')}`],
  ['Bearer with nothing after it', () => 'Bearer '],
  ['Bearer alone', () => 'Bearer'],
  ['a non-Bearer scheme', () => `Basic ${Buffer.from('demo:pw').toString('base64')}`],
  ['a token in another scheme', () => `Token ${session.accessToken}`],
];

describe('access-token attacks', () => {
  it('sanity: the forged helper tokens carry our issuer and audience', () => {
    expect(claims).toMatchObject({ iss: ISSUER, aud: AUDIENCE, typ: 'access' });
  });

  it.each(cases)('rejects %s with 401 invalid_token', async (_name, header) => {
    for (const path of ['/api/todos', '/api/admin/stats', '/auth/me']) {
      const res = await request(t.app).get(path).set('Authorization', header()).expect(401);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="tokenlane", error="invalid_token"',
      );
      expect(res.body).toMatchObject({ error: 'invalid_token' });
    }
  });

  it('answers a missing header with a bare realm challenge and no error code', async () => {
    const res = await request(t.app).get('/api/todos').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="tokenlane"');
    expect(res.headers['www-authenticate']).not.toContain('error=');
  });

  it('ignores a token passed only as ?access_token=', async () => {
    const res = await request(t.app)
      .get(`/api/todos?access_token=${session.accessToken}`)
      .expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="tokenlane"');
  });

  it('rejects a token that verified before once it expires (the verified-token cache checks exp)', async () => {
    const own = await makeTestApp({ accessTokenTtlSeconds: 60, clockToleranceSeconds: 0 });
    const { accessToken } = await login(own.app);
    const get = () =>
      request(own.app).get('/api/todos').set('Authorization', `Bearer ${accessToken}`);
    await get().expect(200);
    await get().expect(200);
    own.advance(62_000);
    const res = await get().expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="tokenlane", error="invalid_token"');
  });

  it('still accepts the original token after all of these', async () => {
    await request(t.app)
      .get('/api/todos')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(200);
  });
});

describe('smaller token rules', () => {
  it('rejects a correctly signed token that names critical extensions (RFC 7515 §4.1.11)', async () => {
    const secret = t.config.jwtSecrets[0]!;
    for (const crit of [['exp'], ['b64']]) {
      const token = jwt.sign({ ...claims }, secret, {
        algorithm: 'HS256',
        keyid: keyId(secret),
        header: { alg: 'HS256', crit, b64: false } as unknown as jwt.JwtHeader,
      });
      const res = await request(t.app).get('/api/todos').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
    }
  });

  it('rejects a token issued in the future', async () => {
    const token = signed({ iat: now() + 3_600 });
    const res = await request(t.app).get('/api/todos').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
  });

  it('marks every /api answer Cache-Control: no-store', async () => {
    const res = await request(t.app)
      .get('/api/todos')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const refused = await request(t.app).get('/api/todos');
    expect(refused.headers['cache-control']).toBe('no-store');
  });
});

describe('clock tolerance between instances', () => {
  const secret = 'tolerance-secret-tolerance-secret-0001';
  const issuer = createTokenService([secret], 60);
  const verifier = createTokenService([secret], 60, { clockToleranceSeconds: 10 });
  const at = Date.parse('2026-01-01T00:00:00Z');
  const token = () => issuer.sign({ id: 'u', role: 'user' }, at).token;

  it('accepts a token up to the tolerance past its exp (minted by an instance whose clock is behind), not after', () => {
    expect(verifier.verify(token(), at + 69_000).sub).toBe('u');
    // The cache answers the second look-up by the same rule.
    const cached = token();
    verifier.verify(cached, at);
    expect(verifier.verify(cached, at + 69_000).sub).toBe('u');
    expect(() => verifier.verify(cached, at + 70_000)).toThrow(InvalidTokenError);
    expect(() => verifier.verify(token(), at + 70_000)).toThrow(InvalidTokenError);
    expect(() => issuer.verify(token(), at + 60_000)).toThrow(InvalidTokenError);
  });

  it('accepts an iat up to the tolerance ahead (minted by an instance whose clock is ahead), not further', () => {
    expect(verifier.verify(token(), at - 10_000).sub).toBe('u');
    expect(() => verifier.verify(token(), at - 11_000)).toThrow(InvalidTokenError);
  });
});

describe('the verified-token cache', () => {
  it('evicts the least recently used token, not the oldest', () => {
    const secret = t.config.jwtSecrets[0]!;
    const service = createTokenService([secret], 900, { cacheSize: 2 });
    const verify = vi.spyOn(jwt, 'verify');
    const at = Date.now();
    const [a, b, c] = ['a', 'b', 'c'].map((id) => service.sign({ id, role: 'user' }, at).token);
    service.verify(a!, at);
    service.verify(b!, at);
    service.verify(a!, at); // a is now the most recently used
    service.verify(c!, at); // evicts b
    verify.mockClear();
    service.verify(a!, at);
    expect(verify).not.toHaveBeenCalled();
    service.verify(b!, at);
    expect(verify).toHaveBeenCalledTimes(1);
    verify.mockRestore();
  });
});
