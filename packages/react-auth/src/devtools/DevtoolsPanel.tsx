import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { portOf } from '@tokenlane/core/adapter';
import { decodeJwt, type AuthState, type Session } from '@tokenlane/core';
import type { StepUp } from '@tokenlane/core/step-up';
import type { DevtoolsLog, DevtoolsSnapshot } from './devtoolsLog.js';
import { styles } from './styles.js';

const EMPTY: DevtoolsSnapshot = { refreshes: [], crossTab: [], network: null };

const time = (at: number) => new Date(at).toLocaleTimeString([], { hour12: false });
const userLabel = (user: unknown) => {
  if (user === null || user === undefined) return '–';
  if (typeof user === 'string' || typeof user === 'number') return String(user);
  if (typeof user !== 'object') return JSON.stringify(user);
  const { email, name, id } = user as Record<string, unknown>;
  const label = [email, name, id].find(
    (part) => typeof part === 'string' || typeof part === 'number',
  );
  return label === undefined ? JSON.stringify(user) : String(label);
};
const lifetime = (state: AuthState<unknown>, now: number) =>
  state.expiresAt === null
    ? '–'
    : state.expiresAt <= now
      ? 'expired'
      : `${((state.expiresAt - now) / 1000).toFixed(1)} s`;

/**
 * Whether the access token is bound to a key: a JWT names its key's thumbprint in `cnf.jkt`
 * (RFC 9449 §6.1); an opaque token does not say.
 */
export const tokenBinding = (token: string | null | undefined) => {
  if (!token) return '–';
  const claims = decodeJwt(token) as { cnf?: { jkt?: unknown } };
  const jkt = claims.cnf?.jkt;
  if (typeof jkt === 'string') return `DPoP-bound · key ${jkt.slice(0, 8)}…`;
  return Object.keys(claims).length === 0 ? 'unknown (opaque token)' : 'none (bearer token)';
};

/** The open panel: actions, the session's facts, and the log (refreshes, other tabs, requests). */
export function Panel(props: {
  client: Session<unknown, never>;
  state: AuthState<unknown>;
  log: DevtoolsLog;
  titleId: string;
  stepUp?: StepUp | undefined;
}) {
  const { client, state, log } = props;
  const snapshot = useSyncExternalStore(log.subscribe, log.getSnapshot, () => EMPTY);
  const now = useNow();
  const signedIn = state.status === 'authenticated';
  return (
    <>
      <h2 id={props.titleId} style={styles.title}>
        Tokenlane
      </h2>
      <div role="group" aria-label="Actions" style={styles.actions}>
        <button
          type="button"
          disabled={!signedIn}
          onClick={() => portOf(client).expireNow()}
          style={styles.button}
          data-testid="tokenlane-devtools-expire"
        >
          Expire now
        </button>
        <button
          type="button"
          disabled={!signedIn}
          onClick={() => void client.refresh({ force: true }).catch(() => undefined)}
          style={styles.button}
          data-testid="tokenlane-devtools-refresh"
        >
          Force refresh
        </button>
        <button
          type="button"
          onClick={log.clear}
          style={styles.button}
          data-testid="tokenlane-devtools-clear"
        >
          Clear
        </button>
      </div>
      <dl style={styles.facts}>
        <dt>Status</dt>
        <dd data-testid="tokenlane-devtools-status">{state.status}</dd>
        <dt>User</dt>
        <dd data-testid="tokenlane-devtools-user">{userLabel(state.user)}</dd>
        <dt>Token expires in</dt>
        <dd data-testid="tokenlane-devtools-lifetime">{lifetime(state, now)}</dd>
        <dt>Token binding</dt>
        <dd data-testid="tokenlane-devtools-binding">
          {tokenBinding(signedIn ? portOf(client).readyAccessToken() : null)}
        </dd>
        {props.stepUp ? <StepUpFact steps={props.stepUp} /> : null}
      </dl>
      <h3 style={styles.heading}>
        Refreshes (
        <span data-testid="tokenlane-devtools-refresh-count">{snapshot.refreshes.length}</span>)
      </h3>
      <List empty="none yet" testId="tokenlane-devtools-refreshes">
        {snapshot.refreshes.map((record) => (
          <li key={record.id}>
            {time(record.startedAt)} {record.reason} ·{' '}
            {record.outcome === 'running'
              ? 'running…'
              : `${record.outcome === 'ok' ? 'ok' : `failed (${record.error ?? 'error'})`} in ${record.durationMs} ms`}
            {record.traceId ? (
              <>
                {' '}
                · trace <code data-testid="tokenlane-devtools-trace-id">{record.traceId}</code>
              </>
            ) : null}
          </li>
        ))}
      </List>
      <h3 style={styles.heading}>From other tabs</h3>
      <List empty="nothing yet" testId="tokenlane-devtools-cross-tab">
        {snapshot.crossTab.map((record) => (
          <li key={record.id}>
            {time(record.at)} {record.type === 'token' ? 'new token' : 'logged out'}
          </li>
        ))}
      </List>
      <h3 style={styles.heading}>Requests (fetch/XHR, by status)</h3>
      {snapshot.network === null ? (
        <p style={styles.muted}>not available in this browser</p>
      ) : (
        <List empty="none yet" testId="tokenlane-devtools-network">
          {snapshot.network.map((row) => (
            <li key={row.path} data-path={row.path}>
              <code>{row.path}</code>{' '}
              {row.statuses.map(([status, count]) => `${status || '?'} × ${count}`).join(' · ')}
            </li>
          ))}
        </List>
      )}
    </>
  );
}

/** What a step-up waits for, if one does. */
function StepUpFact({ steps }: { steps: StepUp }) {
  const challenge = useSyncExternalStore(steps.subscribe, steps.getChallenge, steps.getChallenge);
  const asked = [
    challenge?.maxAge !== undefined && `max_age ${challenge.maxAge} s`,
    challenge?.acrValues !== undefined && `acr_values ${challenge.acrValues}`,
  ].filter(Boolean);
  return (
    <>
      <dt>Step-up</dt>
      <dd data-testid="tokenlane-devtools-step-up">
        {challenge
          ? `waiting for a sign-in${asked.length ? ` (${asked.join(', ')})` : ''}`
          : 'none'}
      </dd>
    </>
  );
}

function List(props: { empty: string; testId: string; children: ReactNode[] }) {
  if (props.children.length === 0) return <p style={styles.muted}>{props.empty}</p>;
  return (
    <ol style={styles.list} data-testid={props.testId}>
      {props.children}
    </ol>
  );
}

/** The time, re-read every 250 ms (while the panel is open: it is only rendered then). */
function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  return now;
}
