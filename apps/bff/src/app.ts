import { createServer, type Server } from 'node:http';
import express from 'express';
import { createBff, oidcUpstream, sqliteStore, tokenlaneUpstream, type Bff } from '@tokenlane/bff';
import { proxyWebSockets, toNodeHandler } from '@tokenlane/bff/node';
import type { BffServerConfig } from './config.js';

/** The demo's proxy paths: `/bff-api/...` goes to the API's `/api/...` (or `PROXY_TARGET`) with the token added. */
export const API_PREFIX = '/bff-api';

async function storeOf(config: BffServerConfig) {
  if (config.store === 'redis') {
    const { redisStore } = await import('@tokenlane/bff/redis');
    return redisStore({ redis: config.redisUrl ?? 'redis://127.0.0.1:6379' });
  }
  if (config.store === 'postgres') {
    const { postgresStore } = await import('@tokenlane/bff/postgres');
    return postgresStore({ database: config.databaseUrl ?? 'postgres://127.0.0.1/tokenlane' });
  }
  return sqliteStore({ path: config.sqlitePath });
}

/** The BFF for `config`, mounted in Express (the reference), with WebSocket upgrades passed on. */
export async function createBffServer(
  config: BffServerConfig,
): Promise<{ server: Server; bff: Bff }> {
  const upstream =
    config.upstream === 'oidc'
      ? oidcUpstream({
          issuer: config.oidc.issuer,
          clientId: config.oidc.clientId,
          client: { secret: config.oidc.clientSecret },
          redirectUri: `${config.origin}/bff/callback`,
          scope: 'openid offline_access email',
          allowInsecureRequests: new URL(config.oidc.issuer).hostname === '127.0.0.1',
          timeoutMs: config.upstreamTimeoutSeconds * 1000,
        })
      : tokenlaneUpstream({
          baseURL: config.apiUrl,
          timeoutMs: config.upstreamTimeoutSeconds * 1000,
        });
  const bff = createBff({
    upstream,
    store: await storeOf(config),
    keys: config.keys,
    origin: config.origin,
    proxy: [{ path: API_PREFIX, target: config.proxyTarget }],
    idleTimeoutSeconds: config.idleTimeoutSeconds,
    absoluteTimeoutSeconds: config.absoluteTimeoutSeconds,
    refreshLeewaySeconds: config.refreshLeewaySeconds,
    proxyRateLimit: config.proxyRateLimit,
    loginRateLimit: config.loginRateLimit,
    upstreamTimeoutSeconds: config.upstreamTimeoutSeconds,
  });
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  // Before any body parser: the BFF streams request bodies through.
  app.use(toNodeHandler(bff));
  const server = createServer(app);
  proxyWebSockets(server, bff);
  return { server, bff };
}
