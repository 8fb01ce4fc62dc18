import type { ReactNode } from 'react';
import { useAuth } from './useAuth.js';

/** Props of `<AuthGate>`. */
export interface AuthGateProps {
  /** Shown while the session is being restored. @default null */
  loading?: ReactNode;
  /** Shown when signed out (a login form, a redirect). @default null */
  fallback?: ReactNode;
  /**
   * Shown when the session could not be restored because the server could not be reached; it
   * retries by itself and shows `children` once the server answers. @default `loading`
   */
  unreachable?: ReactNode;
  /** Shown when signed in. */
  children?: ReactNode;
}

/** Renders `loading`, `unreachable`, `fallback` or `children` according to the session status. */
export function AuthGate({
  loading = null,
  fallback = null,
  unreachable,
  children,
}: AuthGateProps) {
  const { status } = useAuth();
  const shown = {
    authenticated: children,
    loading,
    unreachable: unreachable === undefined ? loading : unreachable,
    unauthenticated: fallback,
  };
  return <>{shown[status]}</>;
}
