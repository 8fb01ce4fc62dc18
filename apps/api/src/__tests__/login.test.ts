import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { CSRF_HEADERS, DEMO, login, makeTestApp, refresh } from './helpers.js';

const attempt = (app: Parameters<typeof login>[0], email: string, password: string) =>
  request(app).post('/auth/login').set(CSRF_HEADERS).send({ email, password });

describe('login', () => {
  it('answers an unknown email and a wrong password identically', async () => {
    const t = await makeTestApp();
    const unknown = await attempt(t.app, 'nobody@tokenlane.dev', 'whatever-password');
    const wrong = await attempt(t.app, DEMO.email, 'whatever-password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body).toEqual({
      error: 'invalid_credentials',
      message: 'Email or password is incorrect',
    });
    expect(unknown.headers['set-cookie']).toBeUndefined();
  });

  it('answers the 6th failed attempt within a minute with 429 and Retry-After', async () => {
    const t = await makeTestApp();
    for (let i = 0; i < 5; i++) {
      await attempt(t.app, DEMO.email, `wrong-${i}`).expect(401);
    }
    const limited = await attempt(t.app, DEMO.email, 'wrong-6').expect(429);
    expect(limited.body).toMatchObject({ error: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right password is refused while limited...
    await attempt(t.app, DEMO.email, DEMO.password).expect(429);
    // ...but another email is not affected.
    await attempt(t.app, 'admin@tokenlane.dev', 'wrong').expect(401);
  });

  it('does not count successful logins', async () => {
    const t = await makeTestApp();
    for (let i = 0; i < 4; i++) await attempt(t.app, DEMO.email, 'wrong').expect(401);
    for (let i = 0; i < 3; i++) await attempt(t.app, DEMO.email, DEMO.password).expect(200);
    await attempt(t.app, DEMO.email, 'wrong').expect(401);
    await attempt(t.app, DEMO.email, 'wrong').expect(429);
  });

  it('treats the email without case', async () => {
    const t = await makeTestApp();
    await attempt(t.app, 'Demo@TokenLane.dev', DEMO.password).expect(200);
  });
});

describe('logs', () => {
  it('never contain tokens, passwords or cookies', async () => {
    const t = await makeTestApp({ logLevel: 'trace' });
    const session = await login(t.app);
    const refreshed = await refresh(t.app, session.refreshToken).expect(200);
    const { accessToken } = refreshed.body as { accessToken: string };
    await request(t.app)
      .get(`/api/todos?access_token=${accessToken}`)
      .set('Authorization', `Bearer ${accessToken}`);
    await attempt(t.app, DEMO.email, 'a-wrong-password-123');
    const logs = t.logs();
    expect(logs).toContain('"path":"/auth/refresh"');
    for (const secret of [
      session.accessToken,
      session.refreshToken,
      accessToken,
      DEMO.password,
      'a-wrong-password-123',
    ]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toContain('tokenlane_rt=');
  });
});
