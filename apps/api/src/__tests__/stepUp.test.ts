import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ADMIN, login, makeTestApp, refresh } from './helpers.js';

// Issue 24, step-up (RFC 9470): the admin routes need a login at most STEP_UP_MAX_AGE old; a
// refresh keeps its login's auth_time, so only signing in again satisfies them.

const stats = (app: Parameters<typeof login>[0], token: string) =>
  request(app).get('/api/admin/stats').set('Authorization', `Bearer ${token}`);
const authTimeOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { auth_time?: number })
    .auth_time;

describe('step-up on the admin routes', () => {
  it('serves a fresh login; past max_age, even a just-refreshed token is answered insufficient_user_authentication; a new login serves again', async () => {
    const t = await makeTestApp({ stepUpMaxAgeSeconds: 300 });
    const session = await login(t.app, ADMIN);
    await stats(t.app, session.accessToken).expect(200);

    t.advance(301_000);
    const renewed = await refresh(t.app, session.refreshToken).expect(200);
    const { accessToken } = renewed.body as { accessToken: string };
    expect(authTimeOf(accessToken)).toBe(authTimeOf(session.accessToken));
    const refused = await stats(t.app, accessToken).expect(401);
    expect(refused.body).toMatchObject({ error: 'insufficient_user_authentication' });
    expect(refused.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_user_authentication", error_description="A more recent authentication is required", max_age="300"',
    );
    // Other routes do not ask for it.
    await request(t.app)
      .get('/api/todos')
      .set('Authorization', `Bearer ${accessToken}`)
      .expect(200);

    const again = await login(t.app, ADMIN);
    expect(authTimeOf(again.accessToken)).toBeGreaterThan(authTimeOf(session.accessToken)!);
    await stats(t.app, again.accessToken).expect(200);
  });

  it('takes a login exactly max_age old, and STEP_UP_MAX_AGE sets the age', async () => {
    const t = await makeTestApp({ stepUpMaxAgeSeconds: 60 });
    const session = await login(t.app, ADMIN);
    t.advance(59_000);
    await stats(t.app, session.accessToken).expect(200);
    t.advance(2_000);
    const refused = await stats(t.app, session.accessToken).expect(401);
    expect(refused.headers['www-authenticate']).toContain('max_age="60"');
  });
});
