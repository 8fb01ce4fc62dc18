import { withRequestScope } from '@tokenlane/bff';
import { AuthGate, AuthHydration, AuthProvider, bffLoginUrl } from '@tokenlane/react-auth/fetch';
import type { ReactNode } from 'react';
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  useLoaderData,
  type LoaderFunctionArgs,
  type MiddlewareFunction,
} from 'react-router';
import { bff } from './bff.server';
import { client, type Claims } from './client';

/** Every loader of one request reads the session once: one request scope around them. */
export const middleware: MiddlewareFunction<Response>[] = [(_, next) => withRequestScope(next)];

/** The session the page renders with (its facts: the user, when it ends; never a token). */
export async function loader({ request }: LoaderFunctionArgs) {
  const session = await bff.getSession(request);
  return { session: (session?.facts ?? null) as { user: Claims } | null };
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <title>Tokenlane on React Router</title>
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  const { session } = useLoaderData<typeof loader>();
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
          <Outlet />
        </AuthGate>
      </AuthHydration>
    </AuthProvider>
  );
}
