import type { ReactNode } from 'react';
import { getSession } from '../lib/bff';
import type { Claims } from '../lib/client';
import { Providers } from './providers';

export const metadata = { title: 'Tokenlane on Next.js' };

/** The session the page renders with: its facts (the user, when it ends), never a token. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await getSession();
  return (
    <html lang="en">
      <body>
        <Providers session={(session?.facts ?? null) as { user: Claims } | null}>
          {children}
        </Providers>
      </body>
    </html>
  );
}
