import { createRootRoute, createRoute, redirect } from '@tanstack/react-router';
import { createAuthClient, ensureSession } from '@tokenlane/react-auth';

const auth = createAuthClient();
const root = createRootRoute();

export const todosRoute = createRoute({
  getParentRoute: () => root,
  path: '/todos',
  beforeLoad: async ({ location }) => {
    const { status } = await ensureSession(auth);
    if (status !== 'authenticated') {
      throw redirect({ to: '/login', search: { redirect: location.href } });
    }
  },
});
// After login: navigate({ to: search.redirect }).
