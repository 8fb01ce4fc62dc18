import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import {
  attachLive,
  createApp,
  createHttpServer,
  createLogger,
  createTokenService,
  DEMO_USERS,
  errorHandler,
  loadConfig,
  openStores,
  requireAuth,
  seedDemoUsers,
} from '@tokenlane/api';

export { freePort } from './freePort.js';
export { startApiProcess, type RunningApi } from './apiProcess.js';
export { postAuth, postFrom, refreshCookieFrom, type PostAnswer } from './authRequests.js';
export { startTestPostgres, type TestPostgres } from './testPostgres.js';
export { MIGRATIONS } from '@tokenlane/api';
export { startTestRedis, type TestRedis } from './testRedis.js';

/** The seeded plain user. */
export const DEMO: { email: string; password: string } = DEMO_USERS[0]!;

/** The seeded admin (the admin routes ask for a recent login: step-up). */
export const ADMIN: { email: string; password: string } = DEMO_USERS[1]!;

/** What the server saw, counted outside the app. */
export interface Counts {
  /** `POST /auth/refresh` requests. */
  refresh: number;
  /** 401 answers on /api/*. */
  unauthorized: number;
  /** Requests to /api/*. */
  api: number;
}

/** A request to `POST /api/echo`, as the server received it (before it checked the token). */
export interface EchoedRequest {
  authorization: string | undefined;
  contentType: string | undefined;
  body: Buffer;
}

/** Options of `startTestApi`. */
export interface TestApiOptions {
  /** @default 2 */
  accessTokenTtlSeconds?: number;
  /** Extra environment, as the process would read it (CORS_ORIGINS, ...). */
  env?: Record<string, string>;
  /** The server's clock, epoch ms; a benchmark moves it to expire tokens without waiting. */
  now?: () => number;
}

/** A running test API; see `startTestApi`. */
export type TestApi = Awaited<ReturnType<typeof startTestApi>>;

/**
 * The real API for other workspaces' tests: on a loopback port, with a temporary SQLite file,
 * seeded users and a short access-token lifetime, counting what it serves. It can be stopped and
 * started again on the same port.
 */
export async function startTestApi({
  accessTokenTtlSeconds = 2,
  env = {},
  now,
}: TestApiOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tokenlane-it-'));
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'tokenlane.db'),
    ACCESS_TOKEN_TTL: String(accessTokenTtlSeconds),
    LOG_LEVEL: 'silent',
    LOGIN_RATE_LIMIT: '1000',
    // One process, one clock: a token is refused the moment it expires, as the tests expect.
    CLOCK_TOLERANCE: '0',
    ...env,
  });
  const stores = await openStores(config);
  await seedDemoUsers(stores.users);
  const app = createApp(config, stores, now ? { now } : {});
  const counts: Counts = { refresh: 0, unauthorized: 0, api: 0 };
  const echoed: EchoedRequest[] = [];
  const echo = echoApp(config, echoed, now ?? Date.now);

  let server: Server | undefined;
  let detachLive = () => {};
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createHttpServer(config, (req, res) => {
        const url = req.url ?? '';
        if (req.method === 'POST' && url.startsWith('/auth/refresh')) counts.refresh++;
        if (url.startsWith('/api/')) {
          counts.api++;
          res.on('finish', () => {
            if (res.statusCode === 401) counts.unauthorized++;
          });
        }
        if (req.method === 'POST' && url === '/api/echo') echo(req, res);
        else app(req, res);
      });
      detachLive = attachLive(server, app);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      detachLive();
      server.close(() => resolve());
      server.closeAllConnections();
      server = undefined;
    });

  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    stores,
    counts,
    /** Every `POST /api/echo`, in arrival order. */
    echoed,
    reset: () => {
      Object.assign(counts, { refresh: 0, unauthorized: 0, api: 0 });
      echoed.length = 0;
    },
    stop,
    start: listen,
    async close() {
      await stop();
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `POST /api/echo` for tests of what a client sends: records the raw body and `Content-Type` of
 * every attempt, then checks the Bearer token exactly as the API's protected routes do (401 with
 * `WWW-Authenticate` when it is expired) and answers 200 `{ bytes }`.
 */
function echoApp(
  config: ReturnType<typeof loadConfig>,
  echoed: EchoedRequest[],
  now: () => number,
) {
  const echo = express();
  echo.post(
    '/api/echo',
    express.raw({ type: () => true, limit: '1mb' }),
    (req, _res, next) => {
      echoed.push({
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      });
      next();
    },
    requireAuth(
      createTokenService(config.jwtSecrets, config.accessTokenTtlSeconds, {
        clockToleranceSeconds: config.clockToleranceSeconds,
      }),
      now,
    ),
    (req, res) => {
      res.json({ bytes: (req.body as Buffer).length });
    },
  );
  echo.use(errorHandler(createLogger('silent')));
  return echo;
}
