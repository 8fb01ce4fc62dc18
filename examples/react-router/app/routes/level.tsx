import { Outlet, useLoaderData, type LoaderFunctionArgs } from 'react-router';
import { apiUser } from '../bff.server';

// One of eight nested layout routes: React Router runs their loaders in parallel, each calling
// the API with the session's token (refreshed once for all of them when it expires).
export async function loader({ request }: LoaderFunctionArgs) {
  return { apiUser: await apiUser(request) };
}

export default function Level() {
  const { apiUser } = useLoaderData<typeof loader>();
  return (
    <div className="level">
      <span data-testid="level-user">{apiUser}</span>
      <Outlet />
    </div>
  );
}
