import {
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  useSyncExternalStore,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { portOf } from '../core/devHandle.js';
import type { AuthState, Session } from '../core/types.js';
import { AuthContext } from '../react/AuthContext.js';
import {
  createDevtoolsLog,
  type DevtoolsLog,
  type DevtoolsLogOptions,
  type DevtoolsSnapshot,
} from './devtoolsLog.js';

/** Props of `<TokenlaneDevtools>`. */
export interface TokenlaneDevtoolsProps {
  /** The client to watch. @default the nearest `<AuthProvider>`'s */
  client?: Session<unknown, never>;
  /** Start with the panel open. @default false */
  initialOpen?: boolean;
  /** Which corner the button sits in. @default 'bottom-right' */
  position?: 'bottom-right' | 'bottom-left';
  /** Injected clock and network observer (tests). */
  log?: DevtoolsLogOptions;
}

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
 * A floating panel that shows what the session does: status, user, the access token's remaining
 * lifetime, the last refreshes (reason, duration, outcome), the messages other tabs sent, and the
 * page's requests by status; with buttons that expire the token now and force a refresh. Closed
 * by default; keyboard accessible (Escape closes it). Import it from
 * `@tokenlane/react-auth/devtools`, in development builds: it is not part of the root entry.
 */
export function TokenlaneDevtools(props: TokenlaneDevtoolsProps): ReactNode {
  const context = useContext(AuthContext);
  const client = props.client ?? context?.client;
  if (!client) {
    throw new Error('TokenlaneDevtools: pass `client`, or render it inside <AuthProvider>');
  }
  const [open, setOpen] = useState(props.initialOpen ?? false);
  const [log, setLog] = useState<DevtoolsLog | null>(null);
  const logOptions = useRef(props.log);
  useEffect(() => {
    const created = createDevtoolsLog(client, logOptions.current);
    setLog(created);
    return () => created.dispose();
  }, [client]);
  const toggle = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);
  const panelId = useId();
  const titleId = `${panelId}-title`;

  const state = useSyncExternalStore(client.subscribe, client.getState, client.getState);

  const show = (next: boolean) => {
    setOpen(next);
    if (!next) toggle.current?.focus();
  };
  useEffect(() => {
    if (open) panel.current?.focus();
  }, [open]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      show(false);
    }
  };

  const corner: CSSProperties =
    props.position === 'bottom-left' ? { left: 12, bottom: 12 } : { right: 12, bottom: 12 };
  return (
    <div style={{ ...styles.root, ...corner }} data-testid="tokenlane-devtools">
      {open && log ? (
        <section
          id={panelId}
          ref={panel}
          role="dialog"
          aria-labelledby={titleId}
          tabIndex={-1}
          onKeyDown={onKeyDown}
          style={styles.panel}
          data-testid="tokenlane-devtools-panel"
        >
          <Panel client={client} state={state} log={log} titleId={titleId} />
        </section>
      ) : null}
      <button
        ref={toggle}
        type="button"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => show(!open)}
        style={styles.toggle}
        data-testid="tokenlane-devtools-toggle"
      >
        <span aria-hidden="true" style={{ ...styles.dot, background: COLORS[state.status] }} />
        Tokenlane devtools
      </button>
    </div>
  );
}

function Panel(props: {
  client: Session<unknown, never>;
  state: AuthState<unknown>;
  log: DevtoolsLog;
  titleId: string;
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

const COLORS: Record<AuthState<unknown>['status'], string> = {
  loading: '#999',
  authenticated: '#2e9d5b',
  unauthenticated: '#c0392b',
  unreachable: '#d68910',
};

const styles = {
  root: {
    position: 'fixed',
    zIndex: 2147483000,
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-end',
    gap: 8,
    font: '12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace',
    color: '#eee',
  },
  toggle: {
    display: 'flex',
    alignItems: 'center',
    gap: 6,
    padding: '6px 10px',
    border: '1px solid #444',
    borderRadius: 16,
    background: '#1d1f23',
    color: '#eee',
    font: 'inherit',
    cursor: 'pointer',
  },
  button: {
    padding: '3px 8px',
    border: '1px solid #555',
    borderRadius: 4,
    background: '#2b2e34',
    color: 'inherit',
    font: 'inherit',
    cursor: 'pointer',
  },
  dot: { width: 8, height: 8, borderRadius: '50%', display: 'inline-block' },
  panel: {
    width: 340,
    maxHeight: '70vh',
    overflow: 'auto',
    padding: 12,
    border: '1px solid #444',
    borderRadius: 8,
    background: '#1d1f23',
    boxShadow: '0 6px 24px rgba(0,0,0,.35)',
  },
  title: { margin: '0 0 8px', fontSize: 14 },
  heading: { margin: '10px 0 4px', fontSize: 12, color: '#aaa' },
  actions: { display: 'flex', gap: 6, flexWrap: 'wrap' },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    gap: '2px 10px',
    margin: '10px 0 0',
  },
  list: { margin: 0, paddingLeft: 18 },
  muted: { margin: 0, color: '#888' },
} satisfies Record<string, CSSProperties>;
