import { useAuth } from '@tokenlane/react-auth/fetch';

/** The signed-in page: the hooks work after hydration as in any other app. */
export default function Home() {
  const { user, logout } = useAuth();
  return (
    <main>
      <p>
        Signed in as <strong data-testid="user">{user?.email ?? user?.sub}</strong>
      </p>
      <button type="button" onClick={() => void logout().then(() => location.assign('/'))}>
        Sign out
      </button>
    </main>
  );
}
