import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { envSchema, MIN_SECRET_BYTES } from './configEnv.js';

export { MIN_SECRET_BYTES } from './configEnv.js';

/** The API's configuration, parsed and validated once at start. */
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** SQLite file path, or `:memory:`. */
  databasePath: string;
  /** `postgres://...`: users, todos, refresh families and limits in Postgres instead of SQLite. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** HS256 keys: the first signs, every one verifies (key rotation). */
  jwtSecrets: string[];
  /** Access-token lifetime, seconds. */
  accessTokenTtlSeconds: number;
  /** Absolute lifetime of a refresh-token family, seconds. */
  refreshTokenTtlSeconds: number;
  /**
   * Seconds during which the immediate parent of the newest refresh token is still accepted (its
   * answer hands the newest token back). `Infinity` (the default, `REFRESH_REUSE_GRACE=unused`):
   * for as long as that newest token has not been used, so a lost answer is recovered however late
   * the retry comes; see the API README's threat model.
   */
  refreshReuseGraceSeconds: number;
  /** Seconds of clock difference allowed between instances when checking `exp` and `iat`. */
  clockToleranceSeconds: number;
  /**
   * DPoP (RFC 9449): `off` ignores proofs; `optional` (the default) binds the tokens of a client
   * that sends proofs to its key and still serves Bearer clients; `required` refuses requests
   * without a proof.
   */
  dpop: 'off' | 'optional' | 'required';
  /** Whether DPoP proofs must carry a server nonce (`DPoP-Nonce`, RFC 9449 §8). */
  dpopNonce: boolean;
  /** Seconds since the last login within which the admin routes answer (step-up, RFC 9470 `max_age`). */
  stepUpMaxAgeSeconds: number;
  /**
   * The bearer token `GET /metrics` (Prometheus text format) asks for; unset, there is no
   * `/metrics` (404). At least 32 bytes, like the signing secrets.
   */
  metricsToken: string | undefined;
  /**
   * OpenTelemetry (`OTEL=on`): spans for logins, rotations and store calls, and metrics, through
   * `@opentelemetry/api` (the SDK, started by `node --import ./dist/otel.js`, exports them).
   */
  otel: boolean;
  /** Exact origins allowed for credentialed CORS and the CSRF `Origin` check. */
  corsOrigins: string[];
  /** Failed logins per minute per (email, IP) before 429. */
  loginRateLimit: number;
  /** Failed logins per minute per IP, across emails (password spraying). */
  loginIpRateLimit: number;
  /** Failed logins per minute per account, across IPs (distributed guessing). */
  loginAccountRateLimit: number;
  /** Registrations per hour per IP. */
  registerRateLimit: number;
  /** Password hashes computed at once (each scrypt takes about 128 MiB and 0.35 s of a core). */
  hashConcurrency: number;
  /** Password hashes that may wait for a slot; past that, 503 `server_busy`. */
  hashQueue: number;
  /** Password hashes one client (IP) may have running or waiting; past that, 429. */
  hashPerClient: number;
  /**
   * Express's `trust proxy`: which proxies' `X-Forwarded-For` to believe for the client's IP.
   * `false` (the default) believes none: every limit keys on the socket's address.
   */
  trustProxy: boolean | number | string;
  /** Todos one account may hold. */
  todoQuota: number;
  /** Seconds a client has to send a whole request (headers and body). */
  requestTimeoutSeconds: number;
  logLevel: string;
}

/** Thrown when the environment holds a bad value; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses and validates the environment. Throws a `ConfigError` naming every bad variable.
 * In development, a missing `JWT_SECRET` is replaced by a random 256-bit key persisted next to
 * the database, so sessions survive a restart; production requires `JWT_SECRET`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const configured = e.JWT_SECRETS ?? (e.JWT_SECRET === undefined ? undefined : [e.JWT_SECRET]);
  if (e.NODE_ENV === 'production' && configured === undefined) {
    throw new ConfigError(
      `Invalid configuration: JWT_SECRET is required when NODE_ENV=production (at least ${MIN_SECRET_BYTES} bytes; or JWT_SECRETS to rotate keys)`,
    );
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databasePath: e.DATABASE_PATH,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    jwtSecrets: configured ?? [devSecret(e.DATABASE_PATH)],
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL,
    refreshReuseGraceSeconds: e.REFRESH_REUSE_GRACE,
    clockToleranceSeconds: e.CLOCK_TOLERANCE,
    dpop: e.DPOP,
    dpopNonce: e.DPOP_NONCE === 'on',
    stepUpMaxAgeSeconds: e.STEP_UP_MAX_AGE,
    metricsToken: e.METRICS_TOKEN,
    otel: e.OTEL === 'on',
    corsOrigins: e.CORS_ORIGINS,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    loginIpRateLimit: e.LOGIN_IP_RATE_LIMIT,
    loginAccountRateLimit: e.LOGIN_ACCOUNT_RATE_LIMIT,
    registerRateLimit: e.REGISTER_RATE_LIMIT,
    hashConcurrency: e.HASH_CONCURRENCY,
    hashQueue: e.HASH_QUEUE,
    hashPerClient: e.HASH_PER_CLIENT,
    trustProxy: e.TRUST_PROXY,
    requestTimeoutSeconds: e.REQUEST_TIMEOUT,
    todoQuota: e.TODO_QUOTA,
    logLevel: e.LOG_LEVEL,
  };
}

/** Treats `VAR=` like an unset variable, as shells and `.env` files commonly produce it. */
function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/** A random development key, kept in the data folder (mode 0600) unless the database is in memory. */
function devSecret(databasePath: string): string {
  if (databasePath === ':memory:') return randomBytes(32).toString('base64url');
  const file = join(dirname(resolve(databasePath)), 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
