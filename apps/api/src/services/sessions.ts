import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { AuthUser, RotateResult, Stores, UserRecord } from '../store/types.js';
import { createRevocations } from './revocations.js';
import { createSealer } from './seal.js';
import type { TokenService } from './tokens.js';

/** A new opaque refresh token: 256 random bits, base64url. */
export const newRefreshToken = (): string => randomBytes(32).toString('base64url');

/**
 * The only form in which a refresh token is stored. A family bound to a DPoP key stores the hash
 * of the token and the key's thumbprint (`jkt`): the same token presented with another key, or
 * with none, hashes to something the store does not know, so it is refused as unknown and revokes
 * nothing (a thief cannot end the session either).
 */
export const hashRefreshToken = (token: string, jkt?: string): string =>
  createHash('sha256')
    .update(jkt === undefined ? token : `${token}.${jkt}`)
    .digest('base64url');

/** The body of every login, registration and refresh answer (the client reads it as `TokenSet`, the same name). */
export interface TokenSet {
  accessToken: string;
  /** `DPoP` when the token is bound to the client's key (RFC 9449 §5). */
  tokenType: 'Bearer' | 'DPoP';
  expiresIn: number;
  /**
   * Seconds until the session ends: its refresh family's absolute lifetime (`REFRESH_TOKEN_TTL`
   * from the login), which no refresh extends. The client warns before it.
   */
  sessionExpiresIn: number;
  user: AuthUser;
}

/** A refresh token to hand to the browser (as the cookie), and when its family ends. */
export interface IssuedRefreshToken {
  token: string;
  expiresAt: number;
}

/** What a renewal gives: new tokens, or a refusal (the cookie is then cleared). */
export type Renewal =
  | { kind: 'renewed'; response: TokenSet; refreshToken?: IssuedRefreshToken | undefined }
  | { kind: 'refused' };

/** Sessions: refresh-token families, their rotation with reuse detection, and the access tokens. */
export interface SessionService {
  /** A new family for `user` (login, registration), bound to the DPoP key `jkt` when one is given. */
  start(
    user: UserRecord,
    jkt?: string,
  ): Promise<{ response: TokenSet; refreshToken: IssuedRefreshToken }>;
  /**
   * Rotates `presented`. Within the grace window (its parent, presented by a racing tab, or by a
   * browser whose previous answer was lost) the answer hands back the family's newest token, so the
   * browser ends up holding it whichever answer arrives; nothing new is minted.
   */
  renew(presented: string, jkt?: string): Promise<Renewal>;
  /**
   * Revokes the family of `presented` (with the key it is bound to, if any), if there is one; with
   * the store down, as soon as it is back (the caller clears the cookie either way).
   */
  end(presented: string, jkt?: string): Promise<void>;
}

/** Only these fields of a user ever leave the server. */
export const toAuthUser = ({ id, email, name, role }: UserRecord): AuthUser => ({
  id,
  email,
  name,
  role,
});

/** The session service over `stores`, signing access tokens with `tokens`. */
export function createSessionService(deps: {
  config: Pick<Config, 'refreshTokenTtlSeconds' | 'refreshReuseGraceSeconds' | 'jwtSecrets'>;
  stores: Pick<Stores, 'users' | 'refresh'>;
  tokens: TokenService;
  logger: Logger;
  now: () => number;
  /** Hears each rotation's outcome (metrics). */
  onRotation?: ((kind: RotateResult['kind']) => void) | undefined;
}): SessionService {
  const { config, stores, tokens, logger, now, onRotation } = deps;
  const sealer = createSealer(config.jwtSecrets);
  const revocations = createRevocations(
    (hash) => stores.refresh.revokeByToken(hash, now()),
    logger,
  );
  const respond = (
    user: UserRecord,
    jkt: string | undefined,
    authTime: number,
    endsAt: number,
  ): TokenSet => {
    const at = now();
    const { token, expiresIn } = tokens.sign(user, at, { jkt, authTime });
    const tokenType = jkt === undefined ? 'Bearer' : 'DPoP';
    // Rounded down: the client warns a little early rather than late.
    const sessionExpiresIn = Math.max(0, Math.floor((endsAt - at) / 1000));
    return { accessToken: token, tokenType, expiresIn, sessionExpiresIn, user: toAuthUser(user) };
  };

  return {
    async start(user, jkt) {
      const token = newRefreshToken();
      const at = now();
      const family = await stores.refresh.createFamily({
        familyId: randomUUID(),
        userId: user.id,
        tokenHash: hashRefreshToken(token, jkt),
        tokenSealed: sealer.seal(token),
        now: at,
        expiresAt: at + config.refreshTokenTtlSeconds * 1000,
      });
      return {
        response: respond(user, jkt, at, family.expiresAt),
        refreshToken: { token, expiresAt: family.expiresAt },
      };
    },

    async renew(presented, jkt) {
      const tokenHash = hashRefreshToken(presented, jkt);
      // What the answer needs is read before anything changes: a store that fails here (a user
      // store down while the families' store is up) answers 503 with the family as it was, so the
      // same cookie renews once it is back, whatever the grace window.
      const owner = await stores.refresh.ownerOf(tokenHash);
      const known = owner === undefined ? undefined : await stores.users.findById(owner);
      const next = newRefreshToken();
      const result = await stores.refresh.rotate({
        tokenHash,
        newTokenHash: hashRefreshToken(next, jkt),
        newTokenSealed: sealer.seal(next),
        now: now(),
        // Unbounded (the default): the parent is accepted until its child is used.
        graceMs: Math.min(config.refreshReuseGraceSeconds * 1000, Number.MAX_SAFE_INTEGER),
      });
      onRotation?.(result.kind);
      if (result.kind === 'reused') {
        logger.warn({ familyId: result.family.id }, 'refresh token reuse: family revoked');
      }
      if (result.kind !== 'rotated' && result.kind !== 'grace') return { kind: 'refused' };
      const user = result.user ?? known;
      if (!user || user.id !== result.family.userId) return { kind: 'refused' };
      const newest =
        result.kind === 'rotated'
          ? next
          : result.currentSealed === undefined
            ? undefined
            : sealer.open(result.currentSealed);
      return {
        kind: 'renewed',
        // The renewed token keeps the login's time: a refresh is not a new authentication.
        response: respond(user, jkt, result.family.createdAt, result.family.expiresAt),
        refreshToken:
          newest === undefined ? undefined : { token: newest, expiresAt: result.family.expiresAt },
      };
    },

    end: (presented, jkt) => revocations.revoke(hashRefreshToken(presented, jkt)),
  };
}
