import { describe, expect, it, vi } from 'vitest';
import {
  AuthConfigError,
  AuthRequestError,
  RefreshFailedError,
  SessionExpiredError,
} from '../errors.js';
import {
  isRefusal,
  REFRESH_RETRY_DELAYS_MS,
  refreshWithBackoff,
  toRefreshError,
} from '../refreshCall.js';

const ok = { accessToken: 'a', expiresIn: 60 };

describe('isRefusal', () => {
  it.each([400, 401, 403])('is true for %i from the refresh endpoint', (status) => {
    expect(isRefusal(new AuthRequestError('x', 'x', status))).toBe(true);
  });

  it.each([undefined, 404, 429, 500, 503])('is false for %s', (status) => {
    expect(isRefusal(new AuthRequestError('x', 'x', status))).toBe(false);
  });

  it('is false for anything but an AuthRequestError', () => {
    expect(isRefusal(Object.assign(new Error('x'), { status: 401 }))).toBe(false);
  });
});

describe('refreshWithBackoff', () => {
  it('does not retry a misconfigured endpoint: RefreshFailedError at once, the cause kept', async () => {
    const cause = new AuthConfigError('http://app.test/auth/refresh', 404);
    const refresh = vi.fn(() => Promise.reject(cause));
    const wait = vi.fn(() => Promise.resolve());
    const error: unknown = await refreshWithBackoff(refresh, wait).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshFailedError);
    expect((error as RefreshFailedError).cause).toBe(cause);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(wait).not.toHaveBeenCalled();
  });

  it('waits the documented pauses between attempts, then gives up with RefreshFailedError', async () => {
    const cause = new AuthRequestError('network_error', 'down');
    const refresh = vi.fn(() => Promise.reject(cause));
    const pauses: number[] = [];
    const error: unknown = await refreshWithBackoff(refresh, (ms) => {
      pauses.push(ms);
      return Promise.resolve();
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshFailedError);
    expect((error as RefreshFailedError).cause).toBe(cause);
    expect(pauses).toEqual([...REFRESH_RETRY_DELAYS_MS]);
    expect(refresh).toHaveBeenCalledTimes(REFRESH_RETRY_DELAYS_MS.length + 1);
  });

  it('stops at the first refusal, with the refusal as cause', async () => {
    const refusal = new AuthRequestError('invalid_grant', 'no', 401);
    const wait = vi.fn(() => Promise.resolve());
    const error: unknown = await refreshWithBackoff(() => Promise.reject(refusal), wait).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect((error as SessionExpiredError).cause).toBe(refusal);
    expect(wait).not.toHaveBeenCalled();
  });

  it('returns the first success', async () => {
    const refresh = vi
      .fn<() => Promise<typeof ok>>()
      .mockRejectedValueOnce(new Error('blip'))
      .mockResolvedValueOnce(ok);
    await expect(refreshWithBackoff(refresh, () => Promise.resolve())).resolves.toBe(ok);
    expect(refresh).toHaveBeenCalledTimes(2);
  });
});

describe('toRefreshError', () => {
  it('keeps the two refresh errors and wraps anything else as RefreshFailedError', () => {
    const expired = new SessionExpiredError();
    const failed = new RefreshFailedError();
    expect(toRefreshError(expired)).toBe(expired);
    expect(toRefreshError(failed)).toBe(failed);
    const other = new Error('lock broke');
    const wrapped = toRefreshError(other);
    expect(wrapped).toBeInstanceOf(RefreshFailedError);
    expect(wrapped.cause).toBe(other);
  });
});
