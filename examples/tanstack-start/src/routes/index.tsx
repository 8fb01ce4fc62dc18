import { createFileRoute } from '@tanstack/react-router';
import { useServerFn } from '@tanstack/react-start';
import { useAuth } from '@tokenlane/react-auth/fetch';
import { useState } from 'react';
import { getApiUser } from '../session/functions';

/** Server functions called at once by the page's loader, each calling the API. */
const CALLS = 10;

export const Route = createFileRoute('/')({
  loader: async () => ({
    apiUsers: await Promise.all(Array.from({ length: CALLS }, () => getApiUser())),
  }),
  component: Home,
});

/** The signed-in page: the hooks work after hydration as in any other app. */
function Home() {
  const { apiUsers } = Route.useLoaderData();
  const { user, logout } = useAuth();
  const askApi = useServerFn(getApiUser);
  const [fnUser, setFnUser] = useState('');
  return (
    <main>
      <p>
        Signed in as <strong data-testid="user">{user?.email ?? user?.sub}</strong>
      </p>
      <ul>
        {apiUsers.map((apiUser, index) => (
          <li key={index} data-testid="api-user">
            {apiUser}
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void askApi().then(setFnUser)}>
        Ask the API from a server function
      </button>
      <output data-testid="action-user">{fnUser}</output>
      <button type="button" onClick={() => void logout().then(() => location.assign('/'))}>
        Sign out
      </button>
    </main>
  );
}
