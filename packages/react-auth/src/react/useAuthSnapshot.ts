import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { AuthState, Session } from '@tokenlane/core';

/** The part of the state that components render from. */
export type AuthSnapshot<TUser> = Pick<AuthState<TUser>, 'status' | 'user'>;

/**
 * `status` and `user` of the session, read with `useSyncExternalStore`. The snapshot only changes
 * when one of them does: a token rotation (a new `expiresAt`) does not re-render.
 */
export function useAuthSnapshot<TUser>(client: Session<TUser, never>): AuthSnapshot<TUser> {
  const last = useRef<AuthSnapshot<TUser> | null>(null);
  const getSnapshot = useCallback(() => {
    const { status, user } = client.getState();
    if (last.current?.status !== status || last.current.user !== user)
      last.current = { status, user };
    return last.current;
  }, [client]);
  return useSyncExternalStore(client.subscribe, getSnapshot, getSnapshot);
}
