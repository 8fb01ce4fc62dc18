/**
 * A session as the store keeps it. `data` is the sealed token set and user (AES-256-GCM); the
 * store never sees a token, and the row's key is the session id's hash, never the id.
 */
export interface StoredSession {
  /** Raised by every write of a new token set: the fencing number of `replace`. */
  version: number;
  /** The sealed token set and user (see `SealingKeys`). */
  data: string;
  /** SHA-256 of the user's `sub` at the upstream, for back-channel logout. */
  subject: string;
  /** SHA-256 of the upstream's session id (`sid`), when the provider names one. */
  sid: string | undefined;
  /** When the session ends for lack of use (ms since the epoch); moved by `touch`. */
  idleExpiresAt: number;
  /** When the session ends whatever happens (ms): the refresh token's end, or the BFF's cap. */
  absoluteExpiresAt: number;
}

/**
 * Where the BFF keeps its sessions, its refresh locks and its login transactions. One store is
 * shared by every instance of a BFF: `sqliteStore` (the default, one instance), `redisStore` and
 * `postgresStore` (several). Every implementation passes the same contract tests.
 */
export interface SessionStore {
  /** The session under `id` (a session id's hash), unless it ended (idle or absolute). */
  read(id: string): Promise<StoredSession | undefined>;
  /** Writes a new session. */
  create(id: string, session: StoredSession): Promise<void>;
  /**
   * Writes `next` only if the stored session is still at `expectedVersion` (the fencing check: a
   * refresh that stalled past its lock cannot overwrite a newer token set); false otherwise.
   */
  replace(id: string, next: StoredSession, expectedVersion: number): Promise<boolean>;
  /** Moves the session's idle end (never past its absolute end); no version change. */
  touch(id: string, idleExpiresAt: number): Promise<void>;
  delete(id: string): Promise<void>;
  /** Ends every session of a subject, or of an upstream session id (hashes); resolves with how many. */
  deleteWhere(match: { subject: string } | { sid: string }): Promise<number>;
  /** Takes the lock `key` for `ttlMs` and resolves with its holder token, or `undefined` if it is held. */
  lock(key: string, ttlMs: number): Promise<string | undefined>;
  /** Releases the lock if `holder` still holds it. */
  unlock(key: string, holder: string): Promise<void>;
  /** Keeps `value` under `key` for `ttlMs`, to be taken once (a login's state and PKCE verifier). */
  putOnce(key: string, value: string, ttlMs: number): Promise<void>;
  /** Takes and removes the value under `key`, if it is there and not expired. */
  takeOnce(key: string): Promise<string | undefined>;
  /** The value under `key`, if it is there and not expired, left in place (a rotation's mark). */
  peek(key: string): Promise<string | undefined>;
  /** Closes the store's connections. */
  close(): Promise<void>;
}

/** When a stored session ends: the sooner of its idle and absolute ends. */
export const endOf = (session: StoredSession): number =>
  Math.min(session.idleExpiresAt, session.absoluteExpiresAt);
