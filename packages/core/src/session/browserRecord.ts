import { compareMarks, NO_SESSION, type SessionMark } from './sessionMark.js';
import type { LogoutReason } from './types.js';

/**
 * Synchronous storage every tab of the browser reads at once (`localStorage`): the browser's
 * order of sign-ins and sign-outs, and a sign-out the server has not confirmed yet. It never holds
 * a token.
 */
export interface SessionRecordStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** What the browser record holds: the latest sign-in or sign-out, and one still to tell the server. */
export interface RecordState extends SessionMark {
  /** A sign-out the server has not confirmed: retried until it answers, no restore meanwhile. */
  pending?: LogoutReason | undefined;
}

/** The browser's record, shared by its tabs; a tab's own copy where there is no storage. */
export interface BrowserRecord {
  read(): RecordState;
  /** Writes `state` unless the record already holds a later mark (another tab wrote it). */
  write(state: RecordState): void;
  /** The server confirmed the sign-out of `seq`: nothing is pending for it any more. */
  confirm(seq: number): void;
}

/** `localStorage`, where a page may use it (it throws in some sandboxed frames and private modes). */
export function defaultRecordStorage(): SessionRecordStorage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The record under `key` in `storage`, or in memory without it. Storage is best effort: a
 * failing read counts as an empty record, a failing write keeps this tab's copy.
 */
export function createBrowserRecord(
  key: string,
  storage: SessionRecordStorage | undefined,
): BrowserRecord {
  let own: RecordState = NO_SESSION;
  const read = (): RecordState => {
    try {
      const stored = JSON.parse(storage?.getItem(key) ?? 'null') as RecordState | null;
      if (stored && typeof stored.seq === 'number' && compareMarks(stored, own) >= 0) own = stored;
    } catch {
      // Unreadable: this tab's copy stands.
    }
    return own;
  };
  const store = (state: RecordState) => {
    own = state;
    try {
      storage?.setItem(key, JSON.stringify(state));
    } catch {
      // Full or denied: this tab's copy stands.
    }
  };
  return {
    read,
    write(state) {
      if (compareMarks(read(), state) <= 0) store(state);
    },
    confirm(seq) {
      const current = read();
      if (current.seq === seq && current.pending) store({ seq, sid: current.sid });
    },
  };
}
