import { describe, expect, it } from 'vitest';
import { AuthRequestError, RefreshFailedError, SessionExpiredError } from '../errors.js';

describe('errors', () => {
  it('carry a stable code, a message and their class name', () => {
    expect(new SessionExpiredError()).toMatchObject({
      code: 'session_expired',
      message: 'Session expired',
      name: 'SessionExpiredError',
    });
    expect(new RefreshFailedError()).toMatchObject({
      code: 'refresh_failed',
      message: 'Refresh failed',
      name: 'RefreshFailedError',
    });
    const cause = new Error('x');
    expect(new AuthRequestError('rate_limited', 'Slow', 429, 3, { cause })).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryAfter: 3,
      cause,
    });
  });
});
