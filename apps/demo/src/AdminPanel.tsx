import { useAuthedQuery } from '@tokenlane/react-auth';
import { StepUpRequiredError } from '@tokenlane/react-auth/step-up';
import { useState } from 'react';
import { demoApiOf, HttpStatusError, useDemoApi } from './demoApi.js';

/** How many admin requests the recount sends at once: they wait for one step-up together. */
const RECOUNT = 3;

export function AdminPanel() {
  const demo = useDemoApi();
  const stats = useAuthedQuery({
    queryKey: ['admin-stats'],
    queryFn: (api) => demoApiOf(api).adminStats(),
    retry: false,
  });
  const forbidden = stats.error instanceof HttpStatusError && stats.error.status === 403;
  const [recount, setRecount] = useState('');

  // The admin action: a sensitive call the API lets through only after a recent sign-in.
  async function recountNow() {
    setRecount('Recounting…');
    const answers = await Promise.allSettled(Array.from({ length: RECOUNT }, () => demo.recount()));
    const cancelled = answers.some(
      (answer) => answer.status === 'rejected' && answer.reason instanceof StepUpRequiredError,
    );
    const ok = answers.filter((answer) => answer.status === 'fulfilled').length;
    setRecount(
      cancelled
        ? 'Cancelled: this needs a recent sign-in (StepUpRequiredError).'
        : `${ok} of ${RECOUNT} recounts answered.`,
    );
  }
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
      {forbidden ? null : (
        <p>
          <button type="button" onClick={() => void recountNow()} data-testid="admin-recount">
            Recount now
          </button>{' '}
          <span data-testid="admin-recount-result" aria-live="polite">
            {recount}
          </span>
        </p>
      )}
    </section>
  );
}
