import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BASE, mockApi, USER } from '@tokenlane/test-kit';
import { AuthRequestError } from '../../session/errors.js';
import { DEFAULT_ENDPOINTS } from '../../session/endpoints.js';
import { parseTokenResponse } from '../../session/tokenResponse.js';
import { createAuthCalls } from '../../session/authCalls.js';
import { tokenlaneServer } from '../../session/serverProfile.js';
import { createFetchPost } from '../transport.js';

const api = mockApi();
beforeAll(() => api.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => api.server.close());
beforeEach(() => api.reset());

const transport = createAuthCalls(
  tokenlaneServer,
  DEFAULT_ENDPOINTS,
  parseTokenResponse,
  createFetchPost(BASE),
);

describe('createFetchPost', () => {
  it('logs in, refreshes (with the CSRF header) and logs out over fetch', async () => {
    expect(await transport.login({ email: USER.email, password: 'right' })).toMatchObject({
      accessToken: 'A0',
      user: USER,
    });
    expect((await transport.refresh(null)).accessToken).toBe('A1');
    await expect(transport.logout(null)).resolves.toBeUndefined();
    await expect(transport.refresh(null)).rejects.toMatchObject({
      code: 'invalid_grant',
      status: 401,
    });
  });

  it('turns error answers into AuthRequestError with the server code and Retry-After', async () => {
    const limited = await transport
      .login({ email: USER.email, password: 'limited' })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(AuthRequestError);
    expect(limited).toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 42 });
  });

  it('turns an unreachable server into network_error', async () => {
    api.state.refreshFails = 'network';
    await expect(transport.refresh(null)).rejects.toMatchObject({
      code: 'network_error',
      status: undefined,
    });
  });
});
