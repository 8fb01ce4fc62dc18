// @vitest-environment jsdom
import {
  createMemoryHistory,
  createRootRoute,
  createRoute,
  createRouter,
  Outlet,
  redirect as tanstackRedirect,
  RouterProvider as TanStackRouterProvider,
  useNavigate,
  useSearch,
} from '@tanstack/react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen } from '@testing-library/react';
import {
  createMemoryRouter,
  redirect,
  RouterProvider,
  useNavigate as useRouterNavigate,
  useSearchParams,
} from 'react-router';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthProvider,
  createAuthClient,
  ensureSession,
  useAuth,
  type AuthClient,
} from '@tokenlane/react-auth';
import { createTestServer } from '@tokenlane/react-auth/testing';

// The README's route guard recipes, with the real routers: TanStack Router (beforeLoad) and
// React Router (loaders). An unauthenticated visit goes to login with the return path; after
// login the asked-for page shows; a page load with a live session goes straight to it.

const user = { id: '1', email: 'ada@example.com', name: 'Ada', role: 'user' };
afterEach(cleanup);

/** Counts what rendered, to prove the login page never flashed. */
const rendered: string[] = [];
const Todos = () => (rendered.push('todos'), (<h1>Todos</h1>));

function LoginButton({ onDone }: { onDone: () => void }) {
  const { login } = useAuth();
  rendered.push('login');
  return (
    <button onClick={() => void login({ email: user.email, password: 'pw' }).then(onDone)}>
      Sign in
    </button>
  );
}

function setup(signedIn: boolean) {
  rendered.length = 0;
  const server = createTestServer({
    user: signedIn ? user : null,
    handler: () => Response.json([]),
  });
  const auth = createAuthClient(server.clientOptions);
  const wrap = (router: ReactNode) => (
    <QueryClientProvider client={new QueryClient()}>
      <AuthProvider client={auth}>{router}</AuthProvider>
    </QueryClientProvider>
  );
  return { auth, wrap };
}

// TanStack Router: the guard in beforeLoad.
function tanstackApp(auth: AuthClient) {
  const root = createRootRoute({ component: Outlet });
  const todos = createRoute({
    getParentRoute: () => root,
    path: '/todos',
    beforeLoad: async ({ location }) => {
      const { status } = await ensureSession(auth);
      if (status !== 'authenticated') {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the router's redirect idiom
        throw tanstackRedirect({ to: '/login', search: { redirect: location.href } });
      }
    },
    component: Todos,
  });
  const login = createRoute({
    getParentRoute: () => root,
    path: '/login',
    validateSearch: (search: Record<string, unknown>) => ({
      redirect: typeof search.redirect === 'string' ? search.redirect : '/',
    }),
    component: function Login() {
      const search: { redirect?: string } = useSearch({ strict: false });
      const back = search.redirect ?? '/';
      const navigate = useNavigate();
      return <LoginButton onDone={() => void navigate({ to: back })} />;
    },
  });
  return createRouter({
    routeTree: root.addChildren([todos, login]),
    history: createMemoryHistory({ initialEntries: ['/todos'] }),
  });
}

// React Router: the guard in a loader.
function reactRouterApp(auth: AuthClient) {
  return createMemoryRouter(
    [
      {
        path: '/todos',
        loader: async ({ request }) => {
          const { status } = await ensureSession(auth);
          if (status !== 'authenticated') {
            // eslint-disable-next-line @typescript-eslint/only-throw-error -- the router's redirect idiom
            throw redirect(`/login?redirect=${encodeURIComponent(new URL(request.url).pathname)}`);
          }
          return null;
        },
        Component: Todos,
      },
      {
        path: '/login',
        Component: function Login() {
          const [search] = useSearchParams();
          const navigate = useRouterNavigate();
          return <LoginButton onDone={() => void navigate(search.get('redirect') ?? '/')} />;
        },
      },
    ],
    { initialEntries: ['/todos'] },
  );
}

describe.each([
  ['TanStack Router', (auth: AuthClient) => <TanStackRouterProvider router={tanstackApp(auth)} />],
  ['React Router', (auth: AuthClient) => <RouterProvider router={reactRouterApp(auth)} />],
])('route guards with %s', (_name, app) => {
  it('sends an unauthenticated visit to login with the return path, and back after login', async () => {
    const { auth, wrap } = setup(false);
    render(wrap(app(auth)));
    const button = await screen.findByText('Sign in');
    expect(screen.queryByText('Todos')).toBeNull();
    act(() => button.click());
    expect(await screen.findByText('Todos')).toBeTruthy();
    auth.dispose();
  });

  it('goes straight to the protected page on a page load with a live session: no login flash', async () => {
    const { auth, wrap } = setup(true);
    render(wrap(app(auth)));
    expect(await screen.findByText('Todos')).toBeTruthy();
    expect(rendered).not.toContain('login');
    auth.dispose();
  });
});
