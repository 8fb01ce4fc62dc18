import { SessionExpiredError, type RefreshReason, type Session } from '@tokenlane/react-auth';

const WHY: Record<RefreshReason, string> = {
  restore: 'restoring the session after page load',
  scheduled: 'proactive, before expiry',
  expired: 'the token had expired',
  rejected: 'a request was answered 401',
  manual: 'asked for',
};

export interface LogEntry {
  id: number;
  at: Date;
  kind: 'refresh' | 'ok' | 'error' | 'session';
  text: string;
}

/** The session's events since page load, as an external store (newest first, at most 30). */
export interface EventLog {
  entries: () => LogEntry[];
  subscribe: (listener: () => void) => () => void;
  /** When the last refresh succeeded. */
  lastRefresh: () => Date | null;
  /** How long the last access token was valid for, seconds. */
  lifetime: () => number | null;
}

export function createEventLog(client: Session): EventLog {
  let entries: LogEntry[] = [];
  let lastRefresh: Date | null = null;
  let lifetime: number | null = null;
  const noteLifetime = () => {
    const { expiresAt } = client.getState();
    lifetime = expiresAt === null ? null : Math.ceil((expiresAt - Date.now()) / 1000);
  };
  let id = 0;
  const listeners = new Set<() => void>();
  const push = (kind: LogEntry['kind'], text: string) => {
    entries = [{ id: ++id, at: new Date(), kind, text }, ...entries].slice(0, 30);
    listeners.forEach((listener) => listener());
  };
  client.on('refresh-start', ({ reason }) => push('refresh', `refresh started: ${WHY[reason]}`));
  client.on('refresh-success', () => {
    lastRefresh = new Date();
    noteLifetime();
    push('ok', `new access token, valid ${lifetime ?? '?'} s`);
  });
  client.on('refresh-failure', ({ reason, error }) => {
    if (reason === 'restore' && error instanceof SessionExpiredError) {
      push('session', 'no saved session: please sign in');
    } else {
      push('error', `refresh failed: ${error.message}`);
    }
  });
  client.on('login', ({ user }) => {
    noteLifetime();
    push('session', `signed in as ${user?.email ?? 'unknown'}`);
  });
  client.on('logout', ({ remote, reason }) =>
    push(
      'session',
      reason === 'idle'
        ? 'signed out: no activity in any tab'
        : remote
          ? 'signed out in another tab'
          : 'signed out',
    ),
  );
  client.on('session-expired', () => push('error', 'session expired: sign in again'));
  return {
    entries: () => entries,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    lastRefresh: () => lastRefresh,
    lifetime: () => lifetime,
  };
}
