import { useMemo, useState, type ReactNode } from 'react';
import type { AuthState, RegisteredUser } from '@tokenlane/core';
import { AuthContext, useAuthContext } from './AuthContext.js';

/** Props of `<AuthHydration>`. */
export interface AuthHydrationProps<TUser = RegisteredUser> {
  /**
   * The session the server rendered with: a BFF's `ServerSession.facts` (its `user`, when the
   * session ends), `null` when it rendered signed out.
   */
  session: { user: TUser } | null;
  children?: ReactNode;
}

/**
 * Hands the hooks below it the session a server rendered the page with, inside `<AuthProvider>`:
 * the server render and the hydration show its user (never `loading`, never the login form), and
 * the browser holds it at once (`client.restore(session)`), with no call at start. On a server it
 * never touches the client (shared there by every request). An app the server does not render
 * does not use it, and does not pay for it.
 */
export function AuthHydration<TUser = RegisteredUser>({
  session,
  children,
}: AuthHydrationProps<TUser>) {
  const outer = useAuthContext();
  // In the browser, held before any hook below reads the client: no loading render.
  useState(() => {
    if (session && typeof window !== 'undefined') void outer.client.restore(session);
  });
  const value = useMemo(() => {
    const rendered = serverStateOf(session);
    const { client } = outer;
    // While the client has no verdict of its own (always, on a server), the hooks below read the
    // state the server rendered with: the hydration matches the server's HTML.
    const getState = () => {
      const state = client.getState();
      return state.status === 'loading' ? rendered : state;
    };
    return { ...outer, client: { ...client, getState } };
  }, [outer, session]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** What a server render (and the hydration after it) shows for `session`. */
function serverStateOf(session: { user: unknown } | null): AuthState<unknown> {
  const user = session?.user ?? null;
  return {
    status: user === null ? 'unauthenticated' : 'authenticated',
    user,
    expiresAt: null,
    sessionEndsAt: null,
  };
}
