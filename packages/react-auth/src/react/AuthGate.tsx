import type { ReactNode } from 'react';
import { useAuth } from './useAuth.js';

/** Props of `<AuthGate>`. */
export interface AuthGateProps {
  /** Shown while the session is being restored. @default null */
  loading?: ReactNode;
  /** Shown when signed out (a login form, a redirect). @default null */
  fallback?: ReactNode;
  /** Shown when signed in. */
  children?: ReactNode;
}

/** Renders `loading`, `fallback` or `children` according to the session status. */
export function AuthGate({ loading = null, fallback = null, children }: AuthGateProps) {
  const { status } = useAuth();
  return <>{status === 'authenticated' ? children : status === 'loading' ? loading : fallback}</>;
}
