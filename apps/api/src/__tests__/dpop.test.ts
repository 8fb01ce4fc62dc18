import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../config.js';
import { NONCE_PERIOD_MS } from '../services/dpop.js';
import { CSRF_HEADERS, DEMO, makeTestApp, type TestApp } from './helpers.js';

// Issue 24: DPoP (RFC 9449) in the reference API. Each attack below is a test that fails without
// its defence: a stolen access token or refresh cookie is worthless without the private key.

/** A client's DPoP key pair, and proofs signed with it. */
async function dpopKey(alg: 'ES256' | 'EdDSA' = 'ES256') {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return {
    jwk,
    /** A proof for `method url` (`ath` when `accessToken` is given); `edit` changes it before signing. */
    proof(
      method: string,
      url: string,
      options: {
        accessToken?: string;
        nonce?: string;
        iat?: number;
        jti?: string;
        header?: Record<string, unknown>;
      } = {},
    ) {
      const ath =
        options.accessToken && createHash('sha256').update(options.accessToken).digest('base64url');
      return new SignJWT({
        htm: method,
        htu: url,
        jti: options.jti ?? randomUUID(),
        ...(ath && { ath }),
        ...(options.nonce && { nonce: options.nonce }),
      })
        .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk: jwk, ...options.header })
        .setIssuedAt(options.iat ?? Math.floor(Date.now() / 1000))
        .sign(privateKey);
    },
  };
}
type Key = Awaited<ReturnType<typeof dpopKey>>;

/** An unsigned JWT (`alg: none`) or one signed with a shared secret: neither proves a key. */
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const servers: Array<{ close(): void }> = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

/** The app on a real loopback port (a proof names the URL the client used). */
async function serve(overrides: Partial<Config> = {}) {
  const t: TestApp = await makeTestApp(overrides);
  const server = t.app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (path: string, headers: Record<string, string> = {}, body: unknown = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { ...CSRF_HEADERS, ...headers },
      body: JSON.stringify(body),
    });
  return {
    t,
    base,
    post,
    /** Logs the demo user in, with a proof by `key` (or none). */
    async login(key?: Key) {
      const headers = key ? { DPoP: await key.proof('POST', `${base}/auth/login`) } : undefined;
      const res = await post('/auth/login', headers, {
        email: DEMO.email,
        password: DEMO.password,
      });
      const body = (await res.json()) as { accessToken: string; tokenType: string };
      const cookie = /tokenlane_rt=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
      return { res, body, cookie: cookie ?? '' };
    },
    refresh: (cookie: string, proof?: string) =>
      post('/auth/refresh', { Cookie: `tokenlane_rt=${cookie}`, ...(proof && { DPoP: proof }) }),
    /** `GET /api/todos` with `Authorization: <scheme> <token>` and the proof, if any. */
    todos: (scheme: string, token: string, proof?: string) =>
      fetch(`${base}/api/todos`, {
        headers: { Authorization: `${scheme} ${token}`, ...(proof && { DPoP: proof }) },
      }),
  };
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
    cnf?: { jkt: string };
  };

describe('DPoP-bound tokens (DPOP=optional, the default)', () => {
  it('binds the tokens of a login with a proof to its key, and serves DPoP requests with a fresh proof each', async () => {
    const api = await serve();
    const key = await dpopKey();
    const { body } = await api.login(key);
    expect(body.tokenType).toBe('DPoP');
    expect(claimsOf(body.accessToken).cnf?.jkt).toMatch(/^[\w-]{43}$/);
    for (let i = 0; i < 3; i++) {
      const proof = await key.proof('GET', `${api.base}/api/todos`, {
        accessToken: body.accessToken,
      });
      expect((await api.todos('DPoP', body.accessToken, proof)).status).toBe(200);
    }
  });

  it('still serves Bearer clients: a login without a proof gets an unbound Bearer token', async () => {
    const api = await serve();
    const { body } = await api.login();
    expect(body.tokenType).toBe('Bearer');
    expect(claimsOf(body.accessToken).cnf).toBeUndefined();
    expect((await api.todos('Bearer', body.accessToken)).status).toBe(200);
    // An unbound token is not upgraded by a proof: the DPoP scheme takes bound tokens only.
    const key = await dpopKey();
    const proof = await key.proof('GET', `${api.base}/api/todos`, {
      accessToken: body.accessToken,
    });
    const upgraded = await api.todos('DPoP', body.accessToken, proof);
    expect(upgraded.status).toBe(401);
    expect(upgraded.headers.get('www-authenticate')).toMatch(/^DPoP algs=.*error="invalid_token"/);
  });

  it('refuses a bound access token replayed by a client without the key (Bearer scheme, or a proof by another key)', async () => {
    const api = await serve();
    const key = await dpopKey();
    const thief = await dpopKey();
    const { body } = await api.login(key);
    const bearer = await api.todos('Bearer', body.accessToken);
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const url = `${api.base}/api/todos`;
    const other = await thief.proof('GET', url, { accessToken: body.accessToken });
    expect((await api.todos('DPoP', body.accessToken, other)).status).toBe(401);
    expect((await api.todos('DPoP', body.accessToken)).status).toBe(401);
  });

  it('refuses a bound refresh cookie presented with another key or with none, and revokes nothing', async () => {
    const api = await serve();
    const key = await dpopKey();
    const thief = await dpopKey();
    const { cookie } = await api.login(key);
    const url = `${api.base}/auth/refresh`;
    const stolen = await api.refresh(cookie, await thief.proof('POST', url));
    expect(stolen.status).toBe(401);
    expect(await stolen.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await api.refresh(cookie)).status).toBe(401);
    // The owner's session lives on.
    const own = await api.refresh(cookie, await key.proof('POST', url));
    expect(own.status).toBe(200);
    expect(((await own.json()) as { tokenType: string }).tokenType).toBe('DPoP');
    expect(api.t.logs()).not.toContain('refresh token reuse');
  });

  it('refuses a proof seen before (the same jti), on the same or another route', async () => {
    const api = await serve();
    const key = await dpopKey();
    const { body } = await api.login(key);
    const url = `${api.base}/api/todos`;
    const proof = await key.proof('GET', url, { accessToken: body.accessToken });
    expect((await api.todos('DPoP', body.accessToken, proof)).status).toBe(200);
    const replay = await api.todos('DPoP', body.accessToken, proof);
    expect(replay.status).toBe(401);
    expect(replay.headers.get('www-authenticate')).toContain('error="invalid_dpop_proof"');
    expect(await replay.json()).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it('refuses a proof for another method or another URL', async () => {
    const api = await serve();
    const key = await dpopKey();
    const { body } = await api.login(key);
    const token = body.accessToken;
    const post = await key.proof('POST', `${api.base}/api/todos`, { accessToken: token });
    expect((await api.todos('DPoP', token, post)).status).toBe(401);
    const elsewhere = await key.proof('GET', `${api.base}/api/admin/stats`, { accessToken: token });
    expect((await api.todos('DPoP', token, elsewhere)).status).toBe(401);
    // The query is not part of htu: a proof for the path serves the path with any query.
    const plain = await key.proof('GET', `${api.base}/api/todos`, { accessToken: token });
    const withQuery = await fetch(`${api.base}/api/todos?limit=5`, {
      headers: { Authorization: `DPoP ${token}`, DPoP: plain },
    });
    expect(withQuery.status).toBe(200);
  });

  it('refuses a proof without the access token hash, or for another token', async () => {
    const api = await serve();
    const key = await dpopKey();
    const { body } = await api.login(key);
    const url = `${api.base}/api/todos`;
    expect((await api.todos('DPoP', body.accessToken, await key.proof('GET', url))).status).toBe(
      401,
    );
    const other = await key.proof('GET', url, { accessToken: `${body.accessToken}x` });
    expect((await api.todos('DPoP', body.accessToken, other)).status).toBe(401);
  });

  it("refuses proofs with alg 'none' or an HMAC algorithm", async () => {
    const api = await serve();
    const key = await dpopKey();
    const url = `${api.base}/auth/login`;
    const claims = { htm: 'POST', htu: url, jti: randomUUID(), iat: Math.floor(Date.now() / 1000) };
    const none = `${b64({ alg: 'none', typ: 'dpop+jwt', jwk: key.jwk })}.${b64(claims)}.`;
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: key.jwk })
      .sign(new TextEncoder().encode('a-secret-anyone-could-pick-0123456789'));
    for (const proof of [none, hmac]) {
      const res = await api.post('/auth/login', { DPoP: proof }, DEMO);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_dpop_proof' });
    }
  });

  it('refuses a proof too old or from the future beyond the clock allowance, and takes one within it', async () => {
    const api = await serve({ clockToleranceSeconds: 5 });
    const key = await dpopKey();
    const url = `${api.base}/auth/login`;
    const nowS = Math.floor(Date.now() / 1000);
    const at = async (iat: number) =>
      (await api.post('/auth/login', { DPoP: await key.proof('POST', url, { iat }) }, DEMO)).status;
    expect(await at(nowS - 60 - 5 - 30)).toBe(400);
    expect(await at(nowS + 5 + 30)).toBe(400);
    expect(await at(nowS + 3)).toBe(200);
    expect(await at(nowS - 60)).toBe(200);
  });

  it('refuses a proof whose typ is not dpop+jwt, or that carries a private key', async () => {
    const api = await serve();
    const key = await dpopKey();
    const url = `${api.base}/auth/login`;
    const jwt = await key.proof('POST', url, { header: { typ: 'JWT' } });
    expect((await api.post('/auth/login', { DPoP: jwt }, DEMO)).status).toBe(400);
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const withPrivate = await new SignJWT({ htm: 'POST', htu: url, jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(privateKey) })
      .setIssuedAt()
      .sign(privateKey);
    expect((await api.post('/auth/login', { DPoP: withPrivate }, DEMO)).status).toBe(400);
  });

  it('takes Ed25519 keys too', async () => {
    const api = await serve();
    const key = await dpopKey('EdDSA');
    const { body } = await api.login(key);
    expect(body.tokenType).toBe('DPoP');
  });
});

describe('DPOP=required', () => {
  it('refuses a login without a proof (400 invalid_dpop_proof) and serves one with a proof', async () => {
    const api = await serve({ dpop: 'required' });
    const refused = await api.login();
    expect(refused.res.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_dpop_proof' });
    const { body } = await api.login(await dpopKey());
    expect(body.tokenType).toBe('DPoP');
  });

  it('refuses an unbound Bearer token, even a valid one, with a DPoP challenge', async () => {
    const optional = await serve({ jwtSecrets: ['shared-secret-shared-secret-0123456789'] });
    const { body } = await optional.login();
    const required = await serve({
      dpop: 'required',
      jwtSecrets: ['shared-secret-shared-secret-0123456789'],
    });
    const res = await required.todos('Bearer', body.accessToken);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^DPoP algs="ES256/);
  });
});

describe('DPOP=off', () => {
  it('ignores proofs: tokens are Bearer tokens and the DPoP scheme is refused', async () => {
    const api = await serve({ dpop: 'off' });
    const key = await dpopKey();
    const { body } = await api.login(key);
    expect(body.tokenType).toBe('Bearer');
    expect(claimsOf(body.accessToken).cnf).toBeUndefined();
    const proof = await key.proof('GET', `${api.base}/api/todos`, {
      accessToken: body.accessToken,
    });
    expect((await api.todos('DPoP', body.accessToken, proof)).status).toBe(401);
    expect((await api.todos('Bearer', body.accessToken)).status).toBe(200);
  });
});

describe('DPoP nonces (DPOP_NONCE=on)', () => {
  it('answers a proof without the nonce with use_dpop_nonce and the nonce; the retry with it succeeds', async () => {
    const api = await serve({ dpopNonce: true });
    // The server's clock starts a second into a nonce period: the whole test stays inside it
    // (on the wall clock, it crossed a period's end about one run in a hundred).
    const shift = NONCE_PERIOD_MS - (Date.now() % NONCE_PERIOD_MS) + 1_000;
    api.t.advance(shift);
    const iat = () => Math.floor((Date.now() + shift) / 1000);
    const key = await dpopKey();
    const url = `${api.base}/auth/login`;
    const first = await api.post(
      '/auth/login',
      { DPoP: await key.proof('POST', url, { iat: iat() }) },
      DEMO,
    );
    expect(first.status).toBe(400);
    expect(await first.json()).toMatchObject({ error: 'use_dpop_nonce' });
    const nonce = first.headers.get('dpop-nonce');
    expect(nonce).toMatch(/^[\w-]{22}$/);
    const retry = await api.post(
      '/auth/login',
      { DPoP: await key.proof('POST', url, { nonce: nonce!, iat: iat() }) },
      DEMO,
    );
    expect(retry.status).toBe(200);
    const { accessToken } = (await retry.json()) as { accessToken: string };
    // A resource request with a stale nonce: 401 use_dpop_nonce, with the current one.
    const todos = `${api.base}/api/todos`;
    const stale = await api.todos(
      'DPoP',
      accessToken,
      await key.proof('GET', todos, { accessToken, nonce: 'stale-nonce-stale-nonc', iat: iat() }),
    );
    expect(stale.status).toBe(401);
    expect(stale.headers.get('www-authenticate')).toContain('error="use_dpop_nonce"');
    expect(stale.headers.get('dpop-nonce')).toBe(nonce);
    const ok = await api.todos(
      'DPoP',
      accessToken,
      await key.proof('GET', todos, { accessToken, nonce: nonce!, iat: iat() }),
    );
    expect(ok.status).toBe(200);
  });

  it('accepts the previous period nonce, and refuses it two periods later', async () => {
    const api = await serve({ dpopNonce: true });
    const key = await dpopKey();
    const url = `${api.base}/auth/login`;
    const nonce = (await api.post('/auth/login', {}, DEMO)).headers.get('dpop-nonce')!;
    /** A login with that nonce, once the server's clock has moved `ms` on (the proof's too). */
    let moved = 0;
    const loginAfter = async (ms: number) => {
      api.t.advance(ms);
      moved += ms;
      const iat = Math.floor((Date.now() + moved) / 1000);
      return api.post('/auth/login', { DPoP: await key.proof('POST', url, { nonce, iat }) }, DEMO);
    };
    expect((await loginAfter(120_000)).status).toBe(200);
    const late = await loginAfter(240_000);
    expect(late.status).toBe(400);
    expect(await late.json()).toMatchObject({ error: 'use_dpop_nonce' });
  });
});
