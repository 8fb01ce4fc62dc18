import { describe, expect, it, vi } from 'vitest';
import { createBrowserRecord } from '../browserRecord.js';
import { AuthRequestError } from '../errors.js';
import { createPendingSignOut } from '../pendingSignOut.js';
import { fakeRuntime, settle } from '@tokenlane/test-kit/fakes';

// A sign-out the server has not confirmed: kept, told again until it answers (issue 31, item 8).

describe('a sign-out pending at the server', () => {
  const world = (inBody: boolean) => {
    const clock = fakeRuntime();
    const record = createBrowserRecord('k', undefined);
    const logout = vi.fn((_token: string | null) => Promise.resolve());
    const pending = createPendingSignOut(clock.runtime, record, { logout }, inBody);
    /** A sign-out at `seq` kept in the record, its first telling lost (offline). */
    const startOffline = async (
      seq: number,
      reason: 'user' | 'idle',
      token: string | null = null,
    ) => {
      record.write({ seq, sid: null, pending: reason });
      logout.mockRejectedValueOnce(new TypeError('offline'));
      await pending.start(seq, token);
    };
    return { clock, record, logout, pending, startOffline };
  };

  it('is told again until the server answers, and then confirmed', async () => {
    const { clock, record, logout, pending } = world(false);
    record.write({ seq: 2, sid: null, pending: 'user' });
    logout.mockRejectedValueOnce(new AuthRequestError('store_unavailable', 'down', 503));
    logout.mockRejectedValueOnce(new TypeError('offline'));
    await pending.start(2, null);
    expect(record.read().pending).toBe('user');
    await clock.advance(2_000);
    expect(record.read().pending).toBe('user');
    await clock.advance(5_000);
    expect(logout).toHaveBeenCalledTimes(3);
    expect(record.read()).toEqual({ seq: 2, sid: null });
    await clock.advance(60_000);
    expect(logout).toHaveBeenCalledTimes(3);
  });

  it('with a cookie, stops once another tab confirmed it, or a later sign-out is pending instead', async () => {
    const confirmed = world(false);
    await confirmed.startOffline(2, 'user');
    confirmed.record.confirm(2);
    await confirmed.clock.advance(60_000);
    expect(confirmed.logout).toHaveBeenCalledTimes(1);

    const later = world(false);
    await later.startOffline(2, 'user');
    later.record.write({ seq: 4, sid: null, pending: 'idle' });
    await later.clock.advance(60_000);
    expect(later.logout).toHaveBeenCalledTimes(1);
  });

  it('takes a 4xx as settled (no retry changes it)', async () => {
    const { clock, record, logout, pending } = world(false);
    record.write({ seq: 2, sid: null, pending: 'idle' });
    logout.mockRejectedValueOnce(new AuthRequestError('invalid_dpop_proof', 'no', 400));
    await pending.start(2, null);
    expect(record.read().pending).toBeUndefined();
    await clock.advance(60_000);
    expect(logout).toHaveBeenCalledTimes(1);
  });

  it('with a cookie, stops once a sign-in replaced it (a logout then would end the new session)', async () => {
    const { clock, record, logout, startOffline } = world(false);
    await startOffline(2, 'user');
    record.write({ seq: 3, sid: 'new' });
    await clock.advance(60_000);
    expect(logout).toHaveBeenCalledTimes(1);
  });

  it('with a body refresh token, revokes that token until it is done, whatever came since', async () => {
    const { clock, record, logout, pending, startOffline } = world(true);
    await startOffline(2, 'user', 'r-old');
    record.write({ seq: 3, sid: 'new' });
    await clock.advance(2_000);
    expect(logout.mock.calls).toEqual([['r-old'], ['r-old']]);
    pending.dispose();
  });

  it('settles on an auth error below 500 only: 500, a network error or any other error is told again', async () => {
    for (const error of [
      new AuthRequestError('http_500', 'boom', 500),
      new AuthRequestError('network_error', 'offline'),
      Object.assign(new Error('not ours'), { status: 400 }),
    ]) {
      const { clock, record, logout, pending } = world(false);
      record.write({ seq: 2, sid: null, pending: 'user' });
      logout.mockRejectedValueOnce(error);
      await pending.start(2, null);
      expect(record.read().pending).toBe('user');
      await clock.advance(2_000);
      expect(logout).toHaveBeenCalledTimes(2);
      expect(record.read().pending).toBeUndefined();
    }
  });

  it('listens for wake-ups only while a retry waits, and not at all once disposed', async () => {
    const { clock, logout, startOffline } = world(false);
    await startOffline(2, 'user');
    clock.wake();
    await settle();
    expect(logout).toHaveBeenCalledTimes(2);
    // Confirmed: a wake asks nothing more.
    clock.wake();
    await settle();
    expect(logout).toHaveBeenCalledTimes(2);
    expect(clock.pendingTimers()).toBe(0);

    const disposed = world(false);
    disposed.record.write({ seq: 3, sid: null, pending: 'idle' });
    disposed.logout.mockRejectedValue(new TypeError('offline'));
    await disposed.pending.start(3, null);
    disposed.pending.dispose();
    disposed.clock.wake();
    await disposed.clock.advance(60_000);
    expect(disposed.logout).toHaveBeenCalledTimes(1);
  });
});
