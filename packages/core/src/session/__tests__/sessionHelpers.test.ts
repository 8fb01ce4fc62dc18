import { describe, expect, it, vi } from 'vitest';
import { ensureSession } from '../ensureSession.js';
import type { AuthState } from '../types.js';
import { userKeyOf } from '../userKey.js';
import { USER } from '@tokenlane/test-kit/fakes';

const state = (status: AuthState['status']): AuthState => ({
  status,
  user: status === 'authenticated' ? USER : null,
  expiresAt: null,
  sessionEndsAt: null,
});

describe('ensureSession', () => {
  it('restores while loading, and resolves with what the restore found', async () => {
    const restore = vi.fn(() => Promise.resolve(state('authenticated')));
    const found = await ensureSession({ getState: () => state('loading'), restore });
    expect(restore).toHaveBeenCalledTimes(1);
    expect(found.status).toBe('authenticated');
  });

  it.each(['authenticated', 'unauthenticated', 'unreachable'] as const)(
    'answers at once when %s, asking nothing',
    async (status) => {
      const restore = vi.fn(() => Promise.resolve(state('authenticated')));
      expect((await ensureSession({ getState: () => state(status), restore })).status).toBe(status);
      expect(restore).not.toHaveBeenCalled();
    },
  );
});

describe('userKeyOf', () => {
  it('is the id, string or number; else the user as JSON; null without a user', () => {
    expect(userKeyOf({ id: 'u1', name: 'x' })).toBe('u1');
    expect(userKeyOf({ id: 7 })).toBe(7);
    expect(userKeyOf({ id: { nested: true } })).toBe('{"id":{"nested":true}}');
    expect(userKeyOf({ sub: 'abc' })).toBe('{"sub":"abc"}');
    expect(userKeyOf('plain')).toBe('"plain"');
    expect(userKeyOf(null)).toBeNull();
    expect(userKeyOf(undefined)).toBeNull();
  });
});
