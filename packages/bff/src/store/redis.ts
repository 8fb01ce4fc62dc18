import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { endOf, type SessionStore, type StoredSession } from './types.js';

/** Options of `redisStore`. */
export interface RedisStoreOptions {
  /** `redis://` URL, or an ioredis client the app already has (the store then never closes it). */
  redis: string | Redis;
  /** Extra ioredis options when `redis` is a URL. */
  options?: RedisOptions;
  /** Prefix of every key. @default 'tokenlane:bff:' */
  prefix?: string;
  /** The clock, in ms since the epoch. @default Date.now */
  now?: () => number;
}

/** Replaces the session if its version is the expected one; keeps the expiry given. */
const REPLACE = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if cjson.decode(current).version ~= tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1`;

/** Moves the idle end, never past the absolute end. */
const TOUCH = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local session = cjson.decode(current)
local idle = math.min(tonumber(ARGV[1]), session.absoluteExpiresAt)
session.idleExpiresAt = idle
redis.call('SET', KEYS[1], cjson.encode(session), 'PX', math.max(1, idle - tonumber(ARGV[2])))
return 1`;

const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Sessions in Redis, for several BFF instances: each session one key with its end as TTL, a set
 * per subject and per upstream session for back-channel logout, `SET NX PX` locks released only
 * by their holder, and the fencing check in a Lua script (atomic in Redis).
 */
export function redisStore({
  redis,
  options,
  prefix = 'tokenlane:bff:',
  now = Date.now,
}: RedisStoreOptions): SessionStore {
  const owned = typeof redis === 'string';
  const client =
    typeof redis === 'string' ? new Redis(redis, { maxRetriesPerRequest: 1, ...options }) : redis;
  const key = (id: string) => `${prefix}s:${id}`;
  const indexKey = (match: { subject: string } | { sid: string }) =>
    'subject' in match ? `${prefix}sub:${match.subject}` : `${prefix}sid:${match.sid}`;
  const ttl = (session: StoredSession) => Math.max(1, endOf(session) - now());
  const index = async (id: string, session: StoredSession) => {
    const multi = client.multi();
    const ms = session.absoluteExpiresAt - now();
    for (const match of [
      { subject: session.subject },
      ...(session.sid ? [{ sid: session.sid }] : []),
    ]) {
      multi.sadd(indexKey(match), id).pexpire(indexKey(match), Math.max(1, ms), 'GT');
      multi.pexpire(indexKey(match), Math.max(1, ms), 'NX');
    }
    await multi.exec();
  };
  return {
    async read(id) {
      const value = await client.get(key(id));
      if (!value) return undefined;
      const session = JSON.parse(value) as StoredSession;
      return endOf(session) > now() ? session : undefined;
    },
    async create(id, session) {
      await client.set(key(id), JSON.stringify(session), 'PX', ttl(session));
      await index(id, session);
    },
    async replace(id, next, expected) {
      const done = await client.eval(
        REPLACE,
        1,
        key(id),
        JSON.stringify(next),
        expected,
        ttl(next),
      );
      if (done === 1) await index(id, next);
      return done === 1;
    },
    async touch(id, idleExpiresAt) {
      await client.eval(TOUCH, 1, key(id), idleExpiresAt, now());
    },
    async delete(id) {
      await client.del(key(id));
    },
    async deleteWhere(match) {
      const ids = await client.smembers(indexKey(match));
      if (ids.length === 0) return 0;
      const removed = await client.del(...ids.map(key));
      await client.del(indexKey(match));
      return removed;
    },
    async lock(name, ttlMs) {
      const holder = randomBytes(12).toString('base64url');
      const taken = await client.set(`${prefix}lock:${name}`, holder, 'PX', ttlMs, 'NX');
      return taken === 'OK' ? holder : undefined;
    },
    async unlock(name, holder) {
      await client.eval(UNLOCK, 1, `${prefix}lock:${name}`, holder);
    },
    async putOnce(name, value, ttlMs) {
      await client.set(`${prefix}once:${name}`, value, 'PX', ttlMs);
    },
    async takeOnce(name) {
      return (await client.getdel(`${prefix}once:${name}`)) ?? undefined;
    },
    async peek(name) {
      return (await client.get(`${prefix}once:${name}`)) ?? undefined;
    },
    async close() {
      if (owned) await client.quit().catch(() => client.disconnect());
    },
  };
}
