import { createRootRoute, HeadContent, Outlet, Scripts } from '@tanstack/react-router';
import { AuthGate, AuthHydration, AuthProvider, bffLoginUrl } from '@tokenlane/react-auth/fetch';
import { client } from '../authClient';
import { getSessionFacts } from '../session/functions';

export const Route = createRootRoute({
  head: () => ({ meta: [{ charSet: 'utf-8' }, { title: 'Tokenlane on TanStack Start' }] }),
  loader: () => getSessionFacts(),
  component: Root,
});

/** The document, and the session the server rendered with handed to the client's hooks. */
function Root() {
  const session = Route.useLoaderData();
  return (
    <html lang="en">
      <head>
        <HeadContent />
      </head>
      <body>
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
        <Scripts />
      </body>
    </html>
  );
}
