import { useAuth } from '@tokenlane/react-auth/fetch';
import { useFetcher, type ActionFunctionArgs } from 'react-router';
import { apiUser } from '../bff.server';

/** An action calling the API with the session's token (a form post from the page). */
export async function action({ request }: ActionFunctionArgs) {
  return { actionUser: await apiUser(request) };
}

/** The signed-in page: the hooks work after hydration as in any other app. */
export default function Home() {
  const { user, logout } = useAuth();
  const fetcher = useFetcher<typeof action>();
  return (
    <main>
      <p>
        Signed in as <strong data-testid="user">{user?.email ?? user?.sub}</strong>
      </p>
      <fetcher.Form method="post">
        <button type="submit">Ask the API from an action</button>
      </fetcher.Form>
      <output data-testid="action-user">{fetcher.data?.actionUser}</output>
      <button type="button" onClick={() => void logout().then(() => location.assign('/'))}>
        Sign out
      </button>
    </main>
  );
}
