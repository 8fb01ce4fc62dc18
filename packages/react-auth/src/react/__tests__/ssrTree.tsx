import type { ReactNode } from 'react';
import {
  AuthGate,
  AuthHydration,
  AuthProvider,
  bffServer,
  createFetchClient,
  useAuth,
  type ReactAuthClient,
} from '../../fetch.js';

/** A check-session answer, as a BFF's `ServerSession.facts` hands it to the page. */
export const factsFor = (sub: string) => ({
  user: { sub, email: `${sub}@example.test` },
  expiresIn: 1800,
  sessionExpiresIn: 43_200,
  accessTokenExpiresIn: 300,
});

/** A BFF-mode client whose every call is recorded (and answered 500: none is expected). */
export function recordedClient() {
  const calls: string[] = [];
  const client = createFetchClient<{ sub: string; email: string }>({
    baseURL: 'http://app.test',
    server: bffServer(),
    crossTab: false,
    fetch: (input) => {
      calls.push(String(input instanceof Request ? input.url : input));
      return Promise.resolve(new Response('{}', { status: 500 }));
    },
  });
  return { client, calls };
}

function Who({ seen }: { seen?: string[] | undefined }) {
  const { status, user } = useAuth<{ sub: string; email: string }>();
  seen?.push(status);
  return <p>Signed in as {user?.email}</p>;
}

/** The page: the gate, and every status a render saw (`seen`). */
export function Page({
  client,
  initialSession,
  seen,
}: {
  client: ReturnType<typeof recordedClient>['client'];
  initialSession: { user: { sub: string; email: string } } | null;
  seen?: string[];
}): ReactNode {
  return (
    // The test project registers axios as the hooks' `api`: this page's hooks use none.
    <AuthProvider client={client as unknown as ReactAuthClient}>
      <AuthHydration session={initialSession as { user: never } | null}>
        <AuthGate loading={<p>Loading</p>} fallback={<p>Login form</p>}>
          <Who seen={seen} />
        </AuthGate>
      </AuthHydration>
    </AuthProvider>
  );
}
