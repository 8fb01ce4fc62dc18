import cookieParser from 'cookie-parser';
import cors from 'cors';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { createLogger } from './logger.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { requestLog } from './middleware/requestLog.js';
import { requireAuth } from './middleware/requireAuth.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { todoRoutes } from './routes/todos.js';
import { BoundedMemoryStore } from './middleware/boundedMemoryStore.js';
import { createDpopService } from './services/dpop.js';
import { createHashGate } from './services/hashGate.js';
import { dummyPasswordHash } from './services/passwords.js';
import { createSessionService } from './services/sessions.js';
import { countAnswers } from './middleware/countAnswers.js';
import { traceRequests } from './middleware/traceRequests.js';
import { metricsRoute } from './routes/metrics.js';
import { createMetrics, instrumentStores } from './services/metrics.js';
import { allInstruments, createTelemetry } from './services/telemetry.js';
import { createTokenService } from './services/tokens.js';
import type { Stores } from './store/types.js';
import { createLiveHub } from './live/liveHub.js';
import { liveEventRoutes } from './live/liveEvents.js';
import { attachGraphqlLive } from './live/liveGraphql.js';
import { attachSocketIoLive } from './live/liveSocketIo.js';
import { attachLiveSockets, type LiveSocketOptions } from './live/liveSockets.js';
import type { Server } from 'node:http';

/** Optional collaborators of `createApp`; tests inject a silent logger and a movable clock. */
export interface AppOptions {
  logger?: Logger;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
  /**
   * Replaces Bearer verification on protected routes. Only the benchmarks set it, to measure what
   * verification costs; nothing in the configuration can.
   */
  authenticate?: RequestHandler;
}

/** Builds the Express app (without listening). */
export function createApp(config: Config, plainStores: Stores, options: AppOptions = {}): Express {
  // Only with METRICS_TOKEN (Prometheus) or OTEL=on: counted, timed and traced (no overhead
  // otherwise).
  const metrics = config.metricsToken === undefined ? undefined : createMetrics();
  const instruments = allInstruments([
    ...(metrics ? [metrics] : []),
    ...(config.otel ? [createTelemetry()] : []),
  ]);
  const stores = instruments ? instrumentStores(plainStores, instruments) : plainStores;
  const tokens = createTokenService(config.jwtSecrets, config.accessTokenTtlSeconds, {
    clockToleranceSeconds: config.clockToleranceSeconds,
  });
  const now = options.now ?? Date.now;
  const logger = options.logger ?? createLogger(config.logLevel);
  const dpop = createDpopService({ config, proofs: stores.proofs, now });
  const ctx: AppContext = {
    config,
    stores,
    tokens,
    sessions: createSessionService({
      config,
      stores,
      tokens,
      logger,
      now,
      onRotation: instruments?.rotation,
    }),
    dpop,
    hashGate: createHashGate({
      concurrency: config.hashConcurrency,
      maxQueued: config.hashQueue,
      perClient: config.hashPerClient,
    }),
    limiterStore: stores.limiters ?? (() => new BoundedMemoryStore(now)),
    logger,
    now,
    authenticate: options.authenticate ?? requireAuth(tokens, now, dpop),
    live: createLiveHub(),
  };
  const allowedOrigins = new Set(config.corsOrigins);
  // Made now, so the first unknown-email login costs what every other one does.
  void dummyPasswordHash();

  const app = express();
  app.disable('x-powered-by');
  // Off unless configured: believing X-Forwarded-For from anyone lets a client pick its own IP.
  app.set('trust proxy', config.trustProxy);
  app.use(requestLog(ctx.logger));
  if (instruments) app.use(countAnswers(instruments));
  app.use(helmet());
  app.use(
    cors({
      origin: (origin, callback) => {
        callback(null, origin !== undefined && allowedOrigins.has(origin));
      },
      credentials: true,
      // traceparent and tracestate: a traced client's refresh joins its trace (W3C Trace Context).
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'X-Requested-With',
        'DPoP',
        'traceparent',
        'tracestate',
      ],
      exposedHeaders: ['WWW-Authenticate', 'Retry-After', 'DPoP-Nonce'],
      maxAge: 600,
    }),
  );
  app.use(express.json({ limit: '16kb' }));
  app.use(cookieParser());
  if (config.otel) app.use(traceRequests());

  // Answers to authenticated requests are the user's own data: never stored by a cache.
  app.use('/api', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use('/health', healthRoutes(stores.probes));
  app.use('/auth', authRoutes(ctx));
  app.use('/api/todos', todoRoutes(ctx));
  app.use('/api/admin', adminRoutes(ctx));
  app.use('/api/events', liveEventRoutes(ctx));
  if (metrics && config.metricsToken !== undefined) {
    app.get('/metrics', metricsRoute(config.metricsToken, metrics));
  }

  app.use(notFound);
  app.use(errorHandler(ctx.logger));
  liveOptions.set(app, { tokens, hub: ctx.live, logger, now });
  return app;
}

const liveOptions = new WeakMap<Express, LiveSocketOptions>();

/**
 * Serves the live endpoints of `app` on `server` (`/api/live`, WebSocket; `/api/graphql`,
 * graphql-ws; `/api/socket.io`, Socket.IO): their upgrades happen on the HTTP server, before
 * Express. Returns what detaches them and closes their connections.
 */
export function attachLive(server: Server, app: Express): () => void {
  const options = liveOptions.get(app);
  if (!options) throw new Error('attachLive: not an app made by createApp');
  const detach = [
    attachLiveSockets(server, options),
    attachGraphqlLive(server, options),
    attachSocketIoLive(server, options),
  ];
  return () => detach.forEach((stop) => stop());
}
