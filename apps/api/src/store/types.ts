import type { Store as RateLimitStore } from 'express-rate-limit';
/** A user's role; `admin` may read `/api/admin/*`. */
export type Role = 'user' | 'admin';

/** A stored user, password hash included (never sent to a client). */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

/** A user as clients see it (`AuthUser` in the client too). */
export type AuthUser = Omit<UserRecord, 'passwordHash'>;

export interface Todo {
  id: string;
  title: string;
  done: boolean;
  createdAt: string;
}

/** Users. Emails are unique, compared without case. */
export interface UserStore {
  findByEmail(email: string): Promise<UserRecord | undefined>;
  findById(id: string): Promise<UserRecord | undefined>;
  /** Returns `undefined` when the email is taken. */
  create(user: Omit<UserRecord, 'id'>): Promise<UserRecord | undefined>;
  count(): Promise<number>;
}

/** One page of a list, and the opaque cursor of the next one when there is more. */
export interface Page<T> {
  items: T[];
  next?: string | undefined;
}

/** Todos, always scoped by their owner: another user's id behaves as unknown. */
export interface TodoStore {
  /** Oldest first, `limit` at a time, after `cursor` (a `next` from an earlier page). */
  list(userId: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<Todo>>;
  /** Rejects with `QuotaExceededError` when the user already has `quota` todos. */
  create(userId: string, title: string, quota: number): Promise<Todo>;
  update(
    userId: string,
    id: string,
    patch: { title?: string | undefined; done?: boolean | undefined },
  ): Promise<Todo | undefined>;
  remove(userId: string, id: string): Promise<boolean>;
  count(): Promise<number>;
}

/** A refresh-token family: every token minted from one login. */
export interface RefreshFamily {
  id: string;
  userId: string;
  /** Absolute end of the family's life, epoch milliseconds. */
  expiresAt: number;
  /**
   * When the login that began the family happened, epoch milliseconds: the `auth_time` of every
   * access token renewed from it (step-up, RFC 9470). 0 when unknown (a family stored before it
   * was kept): as old as can be, so a route that needs a recent login asks for one.
   */
  createdAt: number;
}

/**
 * The outcome of presenting a refresh token:
 * - `rotated`: it was the family's newest token; `newTokenHash` is now the newest.
 * - `grace`: it was the immediate parent, presented within the grace window; nothing changed, and
 *   `currentSealed` is the newest token as sealed at its rotation (so the client can be handed it
 *   again when the answer that carried it was lost).
 * - `reused`: an older token, or the parent after the grace window; the family is now revoked.
 * - `invalid`: unknown, expired or already revoked.
 *
 * A store that keeps the users too may hand back the family's `user` with a renewal (Postgres
 * reads it in the same round trip); the caller reads it from the user store otherwise.
 */
export type RotateResult =
  | { kind: 'rotated'; family: RefreshFamily; user?: UserRecord | undefined }
  | {
      kind: 'grace';
      family: RefreshFamily;
      user?: UserRecord | undefined;
      currentSealed?: string | undefined;
    }
  | { kind: 'reused'; family: RefreshFamily }
  | { kind: 'invalid' };

/**
 * How many of a family's most recent token hashes are kept for reuse detection. An older token
 * gives no access either way (it is refused as unknown); only the alarm it would raise is lost,
 * and keeping every hash would let one session grow the store by a row per rotation forever.
 */
export const REUSE_DETECTION_DEPTH = 100;

/**
 * Refresh-token families. Tokens are known only by their hash. Every operation is atomic:
 * concurrent rotations of one family are serialised by the store.
 */
export interface RefreshStore {
  createFamily(input: {
    familyId: string;
    userId: string;
    tokenHash: string;
    /** The token itself, sealed (encrypted) by the service: handed back within the grace window. */
    tokenSealed?: string | undefined;
    now: number;
    expiresAt: number;
  }): Promise<RefreshFamily>;
  rotate(input: {
    tokenHash: string;
    newTokenHash: string;
    newTokenSealed?: string | undefined;
    now: number;
    /** Grace window for the immediate parent, milliseconds. */
    graceMs: number;
  }): Promise<RotateResult>;
  /**
   * The user whose family `tokenHash` belongs to (any token ever minted in it, revoked or not), or
   * `undefined` for an unknown token. Changes nothing: a renewal reads what its answer needs with
   * it before it rotates, so an answer that cannot be given leaves the family as it was.
   */
  ownerOf(tokenHash: string): Promise<string | undefined>;
  /** Revokes the family that `tokenHash` belongs to, if any. */
  revokeByToken(tokenHash: string, now: number): Promise<void>;
  /**
   * Deletes what can no longer matter: families that expired or were revoked (their tokens are
   * refused either way). Returns how many families went.
   */
  purge(now: number): Promise<number>;
  countActive(now: number): Promise<number>;
}

/**
 * The DPoP proofs already seen (RFC 9449 §11.1), shared by every instance: a proof is accepted
 * once. Keys are fixed-length digests of the key thumbprint and the proof's `jti`.
 */
export interface ProofStore {
  /**
   * Remembers `key` until `expiresAt` (epoch ms). Resolves `true` when it was not remembered yet
   * (or its entry had expired by `now`), `false` for a replay. Atomic across instances.
   */
  remember(key: string, expiresAt: number, now: number): Promise<boolean>;
  /** Deletes the entries that expired by `now`, where they do not expire by themselves. */
  purge(now: number): Promise<number>;
}

/** Every store the app needs, plus a way to release them. */
export interface Stores {
  users: UserStore;
  todos: TodoStore;
  refresh: RefreshStore;
  proofs: ProofStore;
  /**
   * Counter stores for the rate limits, by key prefix, shared by every instance (Redis). Absent:
   * each instance counts in its own bounded memory.
   */
  limiters?: (prefix: string) => RateLimitStore;
  /** Deletes rate-limit counters whose window ended, where the counters live in a database. */
  purgeLimits?: (now: number) => Promise<number>;
  /**
   * One check per backend (`sqlite`, `postgres`, `redis`), for `GET /health`: each resolves when
   * its backend answers.
   */
  probes: Record<string, () => Promise<void>>;
  /** The schema migrations this start applied (Postgres), for the start-up log. */
  migrated?: number[];
  close(): Promise<void>;
}
