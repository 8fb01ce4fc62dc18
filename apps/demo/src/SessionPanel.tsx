import { useAuthClient } from '@tokenlane/react-auth';
import { useIdleTimer } from '@tokenlane/react-auth/idle';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { EventLog } from './eventLog.js';

const time = (date: Date) => date.toLocaleTimeString([], { hour12: false });

export function SessionPanel({ log }: { log: EventLog }) {
  const client = useAuthClient();
  // This panel wants expiresAt, so it reads the full state (and re-renders on every rotation).
  const { expiresAt, sessionEndsAt } = useSyncExternalStore(client.subscribe, client.getState);
  const entries = useSyncExternalStore(log.subscribe, log.entries);
  const idle = useIdleTimer();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const remaining = expiresAt === null ? null : Math.max(0, Math.ceil((expiresAt - now) / 1000));
  const lastRefresh = log.lastRefresh();

  return (
    <section className="card" aria-labelledby="session-title">
      <h2 id="session-title">Session</h2>
      <dl className="facts">
        <div>
          <dt>Access token expires in</dt>
          <dd>
            <span data-testid="session-expires-in" className="big">
              {remaining ?? '–'}
            </span>{' '}
            s
          </dd>
        </div>
        <div>
          <dt>Session ends</dt>
          <dd data-testid="session-ends-at">
            {sessionEndsAt === null ? 'not said' : new Date(sessionEndsAt).toLocaleString()}
          </dd>
        </div>
        <div>
          <dt>Idle sign-out</dt>
          <dd data-testid="idle-ends-at" data-at={idle.endsAt ?? ''}>
            {idle.endsAt === null ? '–' : `at ${time(new Date(idle.endsAt))} unless you are active`}
          </dd>
        </div>
        <div>
          <dt>Last refresh</dt>
          <dd data-testid="last-refresh">{lastRefresh ? time(lastRefresh) : 'not yet'}</dd>
        </div>
      </dl>
      <p className="muted" data-testid="ttl-note">
        {log.lifetime() === null
          ? 'Access tokens here are short-lived'
          : `Access tokens here live about ${log.lifetime()} s`}{' '}
        (the API's ACCESS_TOKEN_TTL, short on purpose), so you can watch them renew: shortly before
        expiry, in this tab or another one, never in two at once, and without a single failed
        request.
      </p>
      <h3 id="events-heading">Events</h3>
      {/* Focusable, so that keyboard users can scroll it once it overflows. */}
      <ol
        data-testid="refresh-log"
        className="log"
        aria-live="polite"
        aria-labelledby="events-heading"
        tabIndex={0}
      >
        {entries.map((entry) => (
          <li key={entry.id} className={entry.kind}>
            <time>{time(entry.at)}</time> {entry.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
