import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { CSRF_HEADERS, DEMO, makeTestApp, refresh, refreshCookie } from './helpers.js';

// Issue 25: the token answer says when the session ends (`sessionExpiresIn`: seconds until the
// refresh family's absolute end), so a client can warn before it; a refresh does not extend it.
// The app's clock is the real one plus what the test adds: a few real seconds may pass.

const endsIn = (res: request.Response) =>
  (res.body as { sessionExpiresIn: number }).sessionExpiresIn;

describe('sessionExpiresIn', () => {
  it('is REFRESH_TOKEN_TTL at login, and counts down through refreshes (no refresh extends it)', async () => {
    const t = await makeTestApp({ refreshTokenTtlSeconds: 7200 });
    const login = await request(t.app)
      .post('/auth/login')
      .set(CSRF_HEADERS)
      .send({ email: DEMO.email, password: DEMO.password })
      .expect(200);
    expect(endsIn(login)).toBeGreaterThan(7190);
    expect(endsIn(login)).toBeLessThanOrEqual(7200);
    t.advance(3600_000);
    const later = await refresh(t.app, refreshCookie(login)!).expect(200);
    expect(endsIn(later)).toBeGreaterThan(3590);
    expect(endsIn(later)).toBeLessThanOrEqual(3600);
    t.advance(3600_000);
    // The family's end: the refresh that would have extended it is refused.
    await refresh(t.app, refreshCookie(later)!).expect(401);
  });
});
