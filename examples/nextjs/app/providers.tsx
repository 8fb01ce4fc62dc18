'use client';

import { AuthGate, AuthHydration, AuthProvider, bffLoginUrl } from '@tokenlane/react-auth/fetch';
import type { ReactNode } from 'react';
import { client, type Claims } from '../lib/client';

/** The client side of the session: it starts as the session the server rendered with. */
export function Providers({
  session,
  children,
}: {
  session: { user: Claims } | null;
  children: ReactNode;
}) {
  return (
    <AuthProvider client={client}>
      <AuthHydration session={session}>
        <AuthGate
          loading={<p>Loading…</p>}
          fallback={
            <a data-testid="login" href={bffLoginUrl({ returnTo: '/' })}>
              Sign in
            </a>
          }
        >
          {children}
        </AuthGate>
      </AuthHydration>
    </AuthProvider>
  );
}
