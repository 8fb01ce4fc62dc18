import { useAuthedQuery } from '@tokenlane/react-auth';
import { HttpStatusError, useDemoApi } from './demoApi.js';

export function AdminPanel() {
  const demo = useDemoApi();
  const stats = useAuthedQuery({
    queryKey: ['admin-stats'],
    queryFn: () => demo.adminStats(),
    retry: false,
  });
  const forbidden = stats.error instanceof HttpStatusError && stats.error.status === 403;
  return (
    <section className="card" aria-labelledby="admin-title">
      <h2 id="admin-title">Admin</h2>
      {forbidden ? (
        <p className="notice" data-testid="admin-forbidden">
          Not allowed: this panel is for admins. Sign in as admin@tokenlane.dev to see it. (The API
          answered 403 insufficient_scope, and no refresh was attempted.)
        </p>
      ) : stats.data ? (
        <dl className="facts" data-testid="admin-stats">
          <div>
            <dt>Users</dt>
            <dd>{stats.data.users}</dd>
          </div>
          <div>
            <dt>Todos</dt>
            <dd>{stats.data.todos}</dd>
          </div>
          <div>
            <dt>Active sessions</dt>
            <dd>{stats.data.activeSessions}</dd>
          </div>
        </dl>
      ) : stats.isError ? (
        <p className="alert">Could not load the stats.</p>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}
