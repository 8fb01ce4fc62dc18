import type { Result } from 'ioredis';
import { createRedis } from './connection.js';
import { StoreUnavailableError } from '../errors.js';
import {
  REUSE_DETECTION_DEPTH,
  type ProofStore,
  type RefreshFamily,
  type RefreshStore,
  type RotateResult,
} from '../types.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    tokenlaneCreate(
      familyKey: string,
      tokenKey: string,
      activeKey: string,
      familyId: string,
      userId: string,
      tokenHash: string,
      now: number,
      expiresAt: number,
      sealed: string,
    ): Result<number, Context>;
    tokenlaneRotate(
      tokenKey: string,
      prefix: string,
      tokenHash: string,
      newTokenHash: string,
      now: number,
      graceMs: number,
      sealed: string,
      depth: number,
    ): Result<string[] | null, Context>;
    tokenlaneRevoke(tokenKey: string, prefix: string, now: number): Result<number, Context>;
  }
}

/*
 * Keys (all expire with the family, so Redis cleans up by itself):
 *   <prefix>fam:<id>   hash: userId, current, parent, rotatedAt, expiresAt, revokedAt, sealed,
 *                      createdAt (the login's time; absent in families stored before it)
 *   <prefix>tok:<hash> string: the family id of every token ever minted in it (for reuse detection)
 *   <prefix>active     sorted set: family ids by expiresAt (admin stats)
 * Every operation is one Lua script: Redis runs it atomically, so concurrent rotations of a family
 * from any number of API instances are serialised without WATCH/MULTI retry loops.
 */
const CREATE = `
redis.call('HSET', KEYS[1], 'userId', ARGV[2], 'current', ARGV[3], 'expiresAt', ARGV[5], 'sealed', ARGV[6], 'createdAt', ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[5])
redis.call('SET', KEYS[2], ARGV[1], 'PXAT', ARGV[5])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
redis.call('RPUSH', KEYS[1] .. ':toks', KEYS[2])
redis.call('PEXPIREAT', KEYS[1] .. ':toks', ARGV[5])
return 1`;

const ROTATE = `
local prefix, hash, nextHash = ARGV[1], ARGV[2], ARGV[3]
local now, grace, sealed = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local family = redis.call('GET', KEYS[1])
if not family then return nil end
local familyKey = prefix .. 'fam:' .. family
local f = redis.call('HMGET', familyKey, 'userId', 'current', 'parent', 'rotatedAt', 'expiresAt', 'revokedAt', 'sealed', 'createdAt')
local createdAt = f[8] or '0'
if not f[1] or f[6] or tonumber(f[5]) <= now then return nil end
if f[2] == hash then
  redis.call('SET', prefix .. 'tok:' .. nextHash, family, 'PXAT', f[5])
  redis.call('HSET', familyKey, 'parent', hash, 'current', nextHash, 'rotatedAt', ARGV[4], 'sealed', sealed)
  -- Keep only the newest hashes for reuse detection (see REUSE_DETECTION_DEPTH).
  local toks = familyKey .. ':toks'
  redis.call('RPUSH', toks, prefix .. 'tok:' .. nextHash)
  redis.call('PEXPIREAT', toks, f[5])
  while redis.call('LLEN', toks) > tonumber(ARGV[7]) do
    redis.call('DEL', redis.call('LPOP', toks))
  end
  return {'rotated', family, f[1], f[5], '', createdAt}
end
if f[3] == hash and f[4] and now - tonumber(f[4]) <= grace then
  return {'grace', family, f[1], f[5], f[7] or '', createdAt}
end
redis.call('HSET', familyKey, 'revokedAt', ARGV[4])
redis.call('ZREM', prefix .. 'active', family)
return {'reused', family, f[1], f[5], '', createdAt}`;

const REVOKE = `
local family = redis.call('GET', KEYS[1])
if not family then return 0 end
local familyKey = ARGV[1] .. 'fam:' .. family
if redis.call('EXISTS', familyKey) == 0 then return 0 end
redis.call('HSET', familyKey, 'revokedAt', ARGV[2])
redis.call('ZREM', ARGV[1] .. 'active', family)
return 1`;

/** A Redis-backed refresh store (and the DPoP proofs seen, on its connection) plus the connection to close. */
export interface RedisRefreshStore extends RefreshStore {
  /** DPoP proofs seen: one `SET NX PX` each, expiring by themselves. */
  proofs: ProofStore;
  /** Resolves when Redis answers a PING. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Refresh-token families in Redis, shared by every API instance. Resolves once connected; a
 * command that cannot reach Redis later rejects with `StoreUnavailableError`.
 */
export async function openRedisRefreshStore(
  url: string,
  prefix = 'tokenlane:rt:',
): Promise<RedisRefreshStore> {
  const redis = createRedis(url);
  redis.defineCommand('tokenlaneCreate', { numberOfKeys: 3, lua: CREATE });
  redis.defineCommand('tokenlaneRotate', { numberOfKeys: 1, lua: ROTATE });
  redis.defineCommand('tokenlaneRevoke', { numberOfKeys: 1, lua: REVOKE });
  await redis.connect();

  const key = {
    family: (id: string) => `${prefix}fam:${id}`,
    token: (hash: string) => `${prefix}tok:${hash}`,
    active: `${prefix}active`,
  };
  const guard = async <T>(operation: () => Promise<T>): Promise<T> => {
    try {
      return await operation();
    } catch (error) {
      throw new StoreUnavailableError('The session store is unavailable', { cause: error });
    }
  };

  return {
    createFamily: ({ familyId, userId, tokenHash, tokenSealed, now, expiresAt }) =>
      guard(async () => {
        await redis.tokenlaneCreate(
          key.family(familyId),
          key.token(tokenHash),
          key.active,
          familyId,
          userId,
          tokenHash,
          now,
          expiresAt,
          tokenSealed ?? '',
        );
        return { id: familyId, userId, expiresAt, createdAt: now } satisfies RefreshFamily;
      }),
    rotate: ({ tokenHash, newTokenHash, newTokenSealed, now, graceMs }) =>
      guard(async (): Promise<RotateResult> => {
        const reply = await redis.tokenlaneRotate(
          key.token(tokenHash),
          prefix,
          tokenHash,
          newTokenHash,
          now,
          graceMs,
          newTokenSealed ?? '',
          REUSE_DETECTION_DEPTH,
        );
        if (!reply) return { kind: 'invalid' };
        const [kind, id, userId, expiresAt, sealed, createdAt] = reply as [
          'rotated' | 'grace' | 'reused',
          string,
          string,
          string,
          string,
          string,
        ];
        const family = { id, userId, expiresAt: Number(expiresAt), createdAt: Number(createdAt) };
        return kind === 'grace'
          ? { kind, family, currentSealed: sealed || undefined }
          : { kind, family };
      }),
    ownerOf: (tokenHash) =>
      guard(async () => {
        const family = await redis.get(key.token(tokenHash));
        if (family === null) return undefined;
        return (await redis.hget(key.family(family), 'userId')) ?? undefined;
      }),
    revokeByToken: (tokenHash, now) =>
      guard(async () => {
        await redis.tokenlaneRevoke(key.token(tokenHash), prefix, now);
      }),
    // Keys expire with their family by themselves: nothing to sweep but the stats index.
    purge: (now) =>
      guard(async () => {
        await redis.zremrangebyscore(key.active, '-inf', now);
        return 0;
      }),
    countActive: (now) =>
      guard(async () => {
        await redis.zremrangebyscore(key.active, '-inf', now);
        return redis.zcard(key.active);
      }),
    proofs: {
      remember: (proofKey, expiresAt, now) =>
        guard(async () => {
          const ttl = Math.max(1, expiresAt - now);
          return (await redis.set(`${prefix}dpop:${proofKey}`, '1', 'PX', ttl, 'NX')) === 'OK';
        }),
      // Each entry expires by itself.
      purge: () => Promise.resolve(0),
    },
    ping: () =>
      guard(async () => {
        await redis.ping();
      }),
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
