import { describe, expect, it, vi } from 'vitest';
import { createAuthCalls } from '../authCalls.js';
import { SessionExpiredError } from '../errors.js';
import { tokenlaneServer } from '../serverProfile.js';
import { createTestSession, fakeRuntime, fakeTransport } from '@tokenlane/test-kit/fakes';

// Two guards whose absence a server would forgive, so only a test that looks can tell.

describe('the auth calls', () => {
  it('log out locally only when the profile names no logout endpoint: no call is made', async () => {
    const post = vi.fn(() => Promise.resolve({ accessToken: 'a', expiresIn: 60 }));
    const calls = createAuthCalls(
      tokenlaneServer,
      { login: '/auth/login', refresh: '/auth/refresh' },
      tokenlaneServer.parseTokenResponse,
      post,
    );
    await calls.logout(null);
    expect(post).not.toHaveBeenCalled();
    await calls.login({ email: 'a@b.c', password: 'p' });
    expect(post).toHaveBeenCalledOnce();
  });
});

describe('a session whose refresh token travels in the body', () => {
  it('holding none, refuses to renew without asking the server (which might answer a null token)', async () => {
    const server = fakeTransport();
    const session = createTestSession({
      transport: server.transport,
      refreshTokenIn: 'body',
      runtime: fakeRuntime().runtime,
      refreshLeewaySeconds: 30,
    });
    await expect(session.refresh()).rejects.toBeInstanceOf(SessionExpiredError);
    expect(server.transport.refresh).not.toHaveBeenCalled();
  });
});
