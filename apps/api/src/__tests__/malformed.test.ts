import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../services/tokens.js';
import { CSRF_HEADERS, login, makeTestApp, type TestApp } from './helpers.js';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await makeTestApp({ logLevel: 'warn' });
  token = (await login(t.app)).accessToken;
});

/** What the server logged at error level (50) or with a stack, since `from`. */
const errorsLoggedSince = (from: number) =>
  t
    .logs()
    .slice(from)
    .split('\n')
    .filter((line) => /"level":(50|60)/.test(line) || line.includes('"stack"'));

describe('bad input is a 4xx with the JSON error body, logged without a stack', () => {
  it.each([
    ['POST', '/auth/%ZZ'],
    ['PATCH', '/api/todos/%ZZ'],
    ['DELETE', '/api/todos/%ZZ'],
  ])('%s %s (a malformed percent-escape) is 400', async (method, path) => {
    const from = t.logs().length;
    const verb = method.toLowerCase() as 'post' | 'patch' | 'delete';
    const agent = request(t.app);
    const res = await agent[verb](path)
      .set(CSRF_HEADERS)
      .set('Authorization', `Bearer ${token}`)
      .send({ title: 'x' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_request' });
    expect(errorsLoggedSince(from)).toEqual([]);
  });

  // supertest would serialise a Buffer as JSON: these go through a real socket with fetch.
  const postRaw = async (encoding: string, body: Buffer | string) => {
    const server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/todos`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'Content-Encoding': encoding,
        },
        body,
      });
      return { status: res.status, body: await res.json() };
    } finally {
      server.close();
    }
  };

  it.each(['gzip', 'deflate', 'br'])(
    'a body that claims Content-Encoding: %s but is not compressed is 400',
    async (encoding) => {
      const from = t.logs().length;
      const res = await postRaw(encoding, '{"title":"plain"}');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
      expect(errorsLoggedSince(from)).toEqual([]);
    },
  );

  it('still accepts a body that really is gzip-compressed', async () => {
    const res = await postRaw('gzip', gzipSync('{"title":"zipped"}'));
    expect(res.status).toBe(201);
  });

  it('creating a todo with a valid token whose user was deleted is 401 invalid_token', async () => {
    // Signed with the server's own key for an id no account has (any more).
    const tokens = createTokenService(t.config.jwtSecrets, 900);
    const { token: ghostToken } = tokens.sign({ id: 'deleted-user', role: 'user' }, Date.now());
    const from = t.logs().length;
    const res = await request(t.app)
      .post('/api/todos')
      .set('Authorization', `Bearer ${ghostToken}`)
      .send({ title: 'boo' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_token' });
    expect(errorsLoggedSince(from)).toEqual([]);
  });
});
