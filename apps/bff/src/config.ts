import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The BFF server's settings, from the environment; every one has a development default. */
export interface BffServerConfig {
  port: number;
  host: string;
  /** The app's origin as the browser sees it (the Vite dev server by default). */
  origin: string;
  /** `tokenlane` (the API, by a JSON login) or `oidc` (a provider, by navigation). */
  upstream: 'tokenlane' | 'oidc';
  apiUrl: string;
  /** Where `/bff-api/...` goes. @default `${apiUrl}/api` */
  proxyTarget: string;
  oidc: { issuer: string; clientId: string; clientSecret: string };
  store: 'sqlite' | 'redis' | 'postgres';
  sqlitePath: string;
  redisUrl: string | undefined;
  databaseUrl: string | undefined;
  keys: string;
  idleTimeoutSeconds: number;
  absoluteTimeoutSeconds: number;
  /** Refresh upstream when the access token has less than this left. */
  refreshLeewaySeconds: number;
  /** Proxied calls per client address per minute. */
  proxyRateLimit: number;
  /** Logins per client address per minute. */
  loginRateLimit: number;
  /** Seconds an upstream answer may take. */
  upstreamTimeoutSeconds: number;
}

/**
 * The sealing keys: `TOKENLANE_BFF_KEYS`, required in production; in development a key made on
 * first start and kept beside the SQLite file, so `npm run dev` needs no configuration.
 */
function keysFrom(env: NodeJS.ProcessEnv, file: string): string {
  if (env.TOKENLANE_BFF_KEYS) return env.TOKENLANE_BFF_KEYS;
  if (env.NODE_ENV === 'production') {
    throw new Error('Set TOKENLANE_BFF_KEYS (base64url keys of 32 bytes, comma-separated)');
  }
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** A positive whole number from the environment (seconds, or a count). */
const seconds = (value: string | undefined, fallback: number) => {
  const parsed = Number(value ?? fallback);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new Error(`Not a number of seconds: ${value}`);
  return parsed;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BffServerConfig {
  const sqlitePath = env.BFF_DATABASE_PATH ?? '.data/bff.sqlite';
  const upstream = env.UPSTREAM === 'oidc' ? 'oidc' : 'tokenlane';
  const store = env.STORE === 'redis' || env.STORE === 'postgres' ? env.STORE : 'sqlite';
  return {
    port: Number(env.PORT ?? 4100),
    host: env.HOST ?? '127.0.0.1',
    origin: env.BFF_ORIGIN ?? 'http://localhost:5173',
    upstream,
    apiUrl: env.API_URL ?? 'http://127.0.0.1:4000',
    proxyTarget: env.PROXY_TARGET ?? `${env.API_URL ?? 'http://127.0.0.1:4000'}/api`,
    oidc: {
      issuer: env.OIDC_ISSUER ?? '',
      clientId: env.OIDC_CLIENT_ID ?? '',
      clientSecret: env.OIDC_CLIENT_SECRET ?? '',
    },
    store,
    sqlitePath,
    redisUrl: env.REDIS_URL,
    databaseUrl: env.DATABASE_URL,
    keys: keysFrom(env, `${dirname(sqlitePath)}/bff-dev-key`),
    idleTimeoutSeconds: seconds(env.IDLE_TIMEOUT_SECONDS, 1800),
    absoluteTimeoutSeconds: seconds(env.ABSOLUTE_TIMEOUT_SECONDS, 43_200),
    refreshLeewaySeconds: seconds(env.REFRESH_LEEWAY_SECONDS, 10),
    proxyRateLimit: seconds(env.PROXY_RATE_LIMIT, 1200),
    loginRateLimit: seconds(env.LOGIN_RATE_LIMIT, 10),
    upstreamTimeoutSeconds: seconds(env.UPSTREAM_TIMEOUT_SECONDS, 15),
  };
}
