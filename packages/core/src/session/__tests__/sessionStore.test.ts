import { describe, expect, it, vi } from 'vitest';
import { createSessionStore } from '../sessionStore.js';
import { USER } from '@tokenlane/test-kit/fakes';

describe('createSessionStore', () => {
  it('notifies on change only and keeps equal users identical', () => {
    const store = createSessionStore<typeof USER>();
    const listener = vi.fn();
    store.subscribe(listener);
    store.set({ status: 'authenticated', user: USER, expiresAt: 1, sessionEndsAt: null });
    const first = store.getState();
    store.set({ status: 'authenticated', user: { ...USER }, expiresAt: 1, sessionEndsAt: null });
    expect(store.getState()).toBe(first);
    store.set({ status: 'authenticated', user: { ...USER }, expiresAt: 2, sessionEndsAt: null });
    expect(store.getState().user).toBe(first.user);
    expect(listener).toHaveBeenCalledTimes(2);
  });
});

describe('createSessionStore changes', () => {
  it('publishes a change of user alone, of expiry alone, and of the session end alone', () => {
    const store = createSessionStore<{ id: string }>();
    store.set({ status: 'authenticated', user: { id: 'a' }, expiresAt: 1, sessionEndsAt: null });
    const listener = vi.fn();
    store.subscribe(listener);
    store.set({ status: 'authenticated', user: { id: 'b' }, expiresAt: 1, sessionEndsAt: null });
    expect(store.getState().user).toEqual({ id: 'b' });
    store.set({ status: 'authenticated', user: { id: 'b' }, expiresAt: 2, sessionEndsAt: null });
    expect(store.getState().expiresAt).toBe(2);
    store.set({ status: 'authenticated', user: { id: 'b' }, expiresAt: 2, sessionEndsAt: 9 });
    expect(store.getState().sessionEndsAt).toBe(9);
    expect(listener).toHaveBeenCalledTimes(3);
  });
});

describe('createSessionStore subscriptions', () => {
  it('stops notifying a listener once it unsubscribed', () => {
    const store = createSessionStore<typeof USER>();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.set({ status: 'unauthenticated', user: null, expiresAt: null, sessionEndsAt: null });
    unsubscribe();
    store.set({ status: 'authenticated', user: USER, expiresAt: 1, sessionEndsAt: null });
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
