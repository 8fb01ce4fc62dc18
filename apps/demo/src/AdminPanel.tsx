import { useAuthedQuery } from '@tokenlane/react-auth';
import { isAxiosError } from 'axios';

interface Stats {
  users: number;
  todos: number;
  activeSessions: number;
}

export function AdminPanel() {
  const stats = useAuthedQuery({
    queryKey: ['admin-stats'],
    queryFn: (api) => api.get<Stats>('/api/admin/stats').then((r) => r.data),
    retry: false,
  });
  const forbidden = isAxiosError(stats.error) && stats.error.response?.status === 403;
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
