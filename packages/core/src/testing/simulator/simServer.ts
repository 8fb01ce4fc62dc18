/** How the simulated server treats a refresh token presented again after it was rotated. */
export type ReusePolicy =
  /** No grace: reuse revokes the whole family (simplejwt with blacklisting, many OAuth servers). */
  | 'strict'
  /** Reuse is refused, and the family lives on (Keycloak without reuse detection, for one). */
  | 'refuse'
  /** Tokenlane's API: the parent of a child never presented yet gets that same child back. */
  | 'unused'
  /** A grace window after the rotation, in ms, as many servers have; reuse after it revokes. */
  | { graceMs: number };

/** An answer of the simulated server. */
export type SimAnswer =
  | {
      status: 200;
      accessToken: string;
      refreshToken: string;
      expiresIn: number;
      user: string;
      /** Whole seconds left of the family's lifetime, rounded down (as Tokenlane's API says it). */
      sessionExpiresIn?: number | undefined;
    }
  | { status: 401; error: 'invalid_grant' | 'invalid_token' }
  | { status: 503 };

/** What a logout revokes: the whole family (Tokenlane's API), or the presented token only (RFC 7009, many OAuth servers). */
export type Revocation = 'family' | 'token';

interface RefreshToken {
  family: number;
  child: string | null;
  rotatedAt: number | null;
  /** Whether the child has been presented (its own rotation, or a logout). */
  presented: boolean;
}

/** What the server saw; the simulator's report reads it. */
export interface ServerLog {
  refreshCalls: number;
  rotations: number;
  /**
   * Rotations within a quarter of the token lifetime after the family's previous one: refreshes
   * nobody needed (two tabs renewing the same expiry, say).
   */
  earlyRotations: number;
  /** Refresh tokens presented again after their rotation (a rotated token, presented). */
  presentedAgain: string[];
  /** Families revoked because a rotated token came back. */
  reuseRevocations: number;
  /** Refresh calls refused (401 invalid_grant), and API calls refused (401 invalid_token). */
  refusals: number;
  apiCalls: number;
  apiRefusals: number;
}

/**
 * A token server in memory, on the world's monotonic clock: access tokens with a lifetime,
 * refresh tokens rotated on every use with reuse detection, families revoked on logout.
 */
export function createSimServer(options: {
  ttlS: number;
  reuse: ReusePolicy;
  now: () => number;
  /** A family's absolute lifetime from its sign-in, ms; `undefined`: no end. */
  sessionLifetimeMs?: number | undefined;
  revocation?: Revocation | undefined;
}) {
  const { ttlS, reuse, now, sessionLifetimeMs, revocation = 'family' } = options;
  let issued = 0;
  /** Per family (one sign-in), its user, and when it began. */
  const families: string[] = [];
  const startedAt: number[] = [];
  const revoked = new Set<number>();
  /** Refresh tokens revoked one by one (`revocation: 'token'`). */
  const revokedTokens = new Set<string>();
  const ended = (family: number) =>
    revoked.has(family) ||
    (sessionLifetimeMs !== undefined && now() >= startedAt[family]! + sessionLifetimeMs);
  /** Per family, when it last rotated. */
  const lastRotation = new Map<number, number>();
  const refreshTokens = new Map<string, RefreshToken>();
  const accessTokens = new Map<string, { family: number; exp: number }>();
  const log: ServerLog = {
    refreshCalls: 0,
    rotations: 0,
    earlyRotations: 0,
    presentedAgain: [],
    reuseRevocations: 0,
    refusals: 0,
    apiCalls: 0,
    apiRefusals: 0,
  };

  /** An access token of `family` with a fresh lifetime, handed with `refreshToken`. */
  const grant = (family: number, refreshToken: string) => {
    const accessToken = `a${++issued}`;
    accessTokens.set(accessToken, { family, exp: now() + ttlS * 1000 });
    const user = families[family]!;
    const sessionExpiresIn =
      sessionLifetimeMs === undefined
        ? undefined
        : Math.floor((startedAt[family]! + sessionLifetimeMs - now()) / 1000);
    return {
      status: 200,
      accessToken,
      refreshToken,
      expiresIn: ttlS,
      user,
      sessionExpiresIn,
    } as const;
  };
  /** A new refresh token of `family`, with its access token. */
  const issue = (family: number) => {
    const refreshToken = `r${issued + 1}`;
    refreshTokens.set(refreshToken, { family, child: null, rotatedAt: null, presented: false });
    return grant(family, refreshToken);
  };
  const refused = (): SimAnswer => {
    log.refusals++;
    return { status: 401, error: 'invalid_grant' };
  };
  /** Whether presenting the rotated `token` again is forgiven: the same child comes back. */
  const forgiven = (token: RefreshToken) =>
    reuse === 'unused'
      ? !refreshTokens.get(token.child ?? '')?.presented
      : typeof reuse === 'object' && now() - (token.rotatedAt ?? 0) <= reuse.graceMs;

  return {
    log,
    /** A sign-in as `user`; the family of `replaced` (the cookie it was sent with) is revoked. */
    login: (user: string, replaced: string | null = null) => {
      const previous = refreshTokens.get(replaced ?? '');
      if (previous) revoked.add(previous.family);
      startedAt.push(now());
      return issue(families.push(user) - 1);
    },
    refresh(presented: string | null): SimAnswer {
      log.refreshCalls++;
      const token = refreshTokens.get(presented ?? '');
      if (!token || ended(token.family) || revokedTokens.has(presented ?? '')) return refused();
      if (token.child !== null) {
        log.presentedAgain.push(presented ?? '');
        // The child handed again, as it was (its access token with a fresh lifetime).
        if (forgiven(token)) return grant(token.family, token.child);
        if (reuse === 'refuse') return refused();
        revoked.add(token.family);
        log.reuseRevocations++;
        return refused();
      }
      token.presented = true;
      const answer = issue(token.family);
      token.child = answer.refreshToken;
      token.rotatedAt = now();
      log.rotations++;
      const last = lastRotation.get(token.family);
      if (last !== undefined && now() - last < (ttlS * 1000) / 4) log.earlyRotations++;
      lastRotation.set(token.family, now());
      return answer;
    },
    logout(presented: string | null) {
      const token = refreshTokens.get(presented ?? '');
      if (!token) return;
      if (revocation === 'family') revoked.add(token.family);
      else revokedTokens.add(presented ?? '');
    },
    /** The server ends the session (an admin, a password change): the next refresh is refused. */
    revokeAll: () => refreshTokens.forEach((token) => revoked.add(token.family)),
    /** An API call: 200 with the data of the token's user, or 401. */
    api(accessToken: string | null): SimAnswer | { status: 200; user: string } {
      log.apiCalls++;
      const token = accessTokens.get(accessToken ?? '');
      if (token && token.exp > now() && !ended(token.family)) {
        return { status: 200, user: families[token.family]! };
      }
      log.apiRefusals++;
      return { status: 401, error: 'invalid_token' };
    },
    /** Whether a refresh token would still be renewed now (not rotated, not revoked). */
    isLive(refreshToken: string) {
      const token = refreshTokens.get(refreshToken);
      return (
        token !== undefined &&
        token.child === null &&
        !ended(token.family) &&
        !revokedTokens.has(refreshToken)
      );
    },
    /** The users whose families the server would still renew (one entry per live family). */
    liveUsers: () =>
      [...refreshTokens.entries()]
        .filter(
          ([name, token]) =>
            token.child === null && !ended(token.family) && !revokedTokens.has(name),
        )
        .map(([, token]) => families[token.family]!)
        .sort(),
  };
}

/** The simulated server. */
export type SimServer = ReturnType<typeof createSimServer>;
