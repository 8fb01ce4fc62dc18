import { createHash } from 'node:crypto';
import { BffError } from './errors.js';
import { newSessionId, sessionIdHash, type SealingKeys } from './sealing.js';
import type { SessionStore, StoredSession } from './store/types.js';
import type {
  IssuedTokens,
  UpstreamGrant,
  UpstreamTokens,
  UpstreamUser,
} from './upstream/types.js';

/** A session read from the store and opened: its tokens and user, in the BFF's memory only. */
export interface OpenSession {
  /** The session id's hash: the store's key. */
  key: string;
  stored: StoredSession;
  tokens: UpstreamTokens;
  user: UpstreamUser;
}

/** How long sessions last; see `BffOptions`. */
export interface SessionTimes {
  idleMs: number;
  absoluteMs: number;
  now: () => number;
}

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Sessions as the BFF handles them: created at login under a new random id (the cookie's value;
 * the store keeps only its hash), their token set and user sealed with the context of that hash,
 * opened on each request, rewritten with a higher version by each refresh.
 */
export class Sessions {
  constructor(
    readonly store: SessionStore,
    private readonly keys: SealingKeys,
    private readonly times: SessionTimes,
  ) {}

  /** The session a cookie names, or `undefined` (none, ended, or sealed with a key no longer kept). */
  async open(sessionId: string | undefined): Promise<OpenSession | undefined> {
    if (!sessionId) return undefined;
    const key = sessionIdHash(sessionId);
    const stored = await this.store.read(key);
    return stored && this.opened(key, stored);
  }

  /** Opens a stored session; `undefined`, and the row removed, when no key opens it. */
  async opened(key: string, stored: StoredSession): Promise<OpenSession | undefined> {
    try {
      const { tokens, user } = JSON.parse(this.keys.open(stored.data, key)) as {
        tokens: UpstreamTokens;
        user: UpstreamUser;
      };
      return { key, stored, tokens, user };
    } catch (error) {
      if (!(error instanceof BffError)) throw error;
      await this.store.delete(key);
      return undefined;
    }
  }

  /** A new session for a login's grant; resolves with the id for the cookie. */
  async create(grant: UpstreamGrant): Promise<{ sessionId: string; session: OpenSession }> {
    if (!grant.user) throw new BffError('login_invalid', 'The upstream named no user');
    const sessionId = newSessionId();
    const key = sessionIdHash(sessionId);
    const now = this.times.now();
    const tokens = this.stamp(grant.tokens);
    const stored: StoredSession = {
      version: 1,
      data: this.keys.seal(JSON.stringify({ tokens, user: grant.user }), key),
      subject: hash(grant.user.subject),
      sid: grant.user.sid === undefined ? undefined : hash(grant.user.sid),
      idleExpiresAt: now + this.times.idleMs,
      absoluteExpiresAt: this.absoluteEnd(now, tokens),
    };
    await this.store.create(key, stored);
    return { sessionId, session: { key, stored, tokens, user: grant.user } };
  }

  /** The session after a refresh: the new tokens (and user, if told again), one version higher. */
  next(session: OpenSession, grant: UpstreamGrant): OpenSession {
    const user = grant.user ?? session.user;
    const tokens = this.stamp(grant.tokens, session.tokens);
    const stored: StoredSession = {
      ...session.stored,
      version: session.stored.version + 1,
      data: this.keys.seal(JSON.stringify({ tokens, user }), session.key),
      absoluteExpiresAt: Math.min(
        session.stored.absoluteExpiresAt,
        this.absoluteEnd(this.times.now(), tokens),
      ),
    };
    return { key: session.key, stored, tokens, user };
  }

  /**
   * Moves the idle end after a use, at most once a minute (or a tenth of the idle timeout): a
   * burst of proxied calls writes once.
   */
  async touch(session: OpenSession): Promise<void> {
    const now = this.times.now();
    const lastUse = session.stored.idleExpiresAt - this.times.idleMs;
    if (now - lastUse < Math.min(60_000, this.times.idleMs / 10)) return;
    await this.store.touch(session.key, now + this.times.idleMs);
  }

  end(key: string): Promise<void> {
    return this.store.delete(key);
  }

  /**
   * Issued tokens on the BFF's clock; a refresh that did not rotate keeps the refresh token (and
   * its end) and the ID token it had.
   */
  private stamp(issued: IssuedTokens, previous?: UpstreamTokens): UpstreamTokens {
    const now = this.times.now();
    return {
      accessToken: issued.accessToken,
      accessTokenExpiresAt: now + issued.expiresIn * 1000,
      refreshToken: issued.refreshToken ?? previous?.refreshToken,
      refreshTokenExpiresAt:
        issued.refreshExpiresIn !== undefined
          ? now + issued.refreshExpiresIn * 1000
          : issued.refreshToken
            ? undefined
            : previous?.refreshTokenExpiresAt,
      idToken: issued.idToken ?? previous?.idToken,
    };
  }

  /** The session's absolute end: the refresh token's when the upstream says, within the BFF's cap. */
  private absoluteEnd(now: number, tokens: UpstreamTokens): number {
    return Math.min(now + this.times.absoluteMs, tokens.refreshTokenExpiresAt ?? Infinity);
  }
}

/** The hash the store indexes a subject or an upstream session id under (back-channel logout). */
export const indexHash = hash;
