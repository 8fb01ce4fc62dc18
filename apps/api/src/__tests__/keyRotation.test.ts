import jwt from 'jsonwebtoken';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { keyId } from '../services/tokens.js';
import { login, makeTestApp } from './helpers.js';

const OLD = 'old-key-old-key-old-key-old-key-0001';
const NEW = 'new-key-new-key-new-key-new-key-0002';

const todos = (app: Awaited<ReturnType<typeof makeTestApp>>['app'], token: string) =>
  request(app).get('/api/todos').set('Authorization', `Bearer ${token}`);

describe('signing-key rotation (JWT_SECRETS)', () => {
  it('follows the documented steps without logging anyone out', async () => {
    // 1. Only the old key.
    const before = await makeTestApp({ jwtSecrets: [OLD] });
    const { accessToken: oldToken } = await login(before.app);
    expect(jwt.decode(oldToken, { complete: true })?.header.kid).toBe(keyId(OLD));

    // 2. The new key is added second: still signing with the old one, verifying both.
    const added = await makeTestApp({ jwtSecrets: [OLD, NEW] });
    await todos(added.app, oldToken).expect(200);
    expect(jwt.decode((await login(added.app)).accessToken, { complete: true })?.header.kid).toBe(
      keyId(OLD),
    );

    // 3. The new key moves first: new tokens use it, old tokens still verify.
    const moved = await makeTestApp({ jwtSecrets: [NEW, OLD] });
    const { accessToken: newToken } = await login(moved.app);
    expect(jwt.decode(newToken, { complete: true })?.header.kid).toBe(keyId(NEW));
    await todos(moved.app, oldToken).expect(200);
    await todos(moved.app, newToken).expect(200);

    // 4. The old key is dropped (after one access-token lifetime): its tokens are refused.
    const dropped = await makeTestApp({ jwtSecrets: [NEW] });
    const refused = await todos(dropped.app, oldToken).expect(401);
    expect(refused.headers['www-authenticate']).toBe(
      'Bearer realm="tokenlane", error="invalid_token"',
    );
    await todos(dropped.app, newToken).expect(200);
  });

  it.each([
    ['a kid naming no configured key', 'unknown-kid'],
    ['a kid shaped like a path', '../../../../etc/passwd'],
    ['a kid naming a key by its secret', NEW],
  ])('refuses %s, even with a valid signature', async (_name, kid) => {
    const t = await makeTestApp({ jwtSecrets: [NEW] });
    const claims = jwt.decode((await login(t.app)).accessToken) as Record<string, unknown>;
    const forged = jwt.sign(claims, NEW, { algorithm: 'HS256', keyid: kid });
    const res = await todos(t.app, forged).expect(401);
    expect(res.body).toMatchObject({ error: 'invalid_token' });
  });

  it('refuses a token without kid', async () => {
    const t = await makeTestApp({ jwtSecrets: [NEW] });
    const claims = jwt.decode((await login(t.app)).accessToken) as Record<string, unknown>;
    await todos(t.app, jwt.sign(claims, NEW, { algorithm: 'HS256' })).expect(401);
  });
});
