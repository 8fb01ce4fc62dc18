import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { LimiterStoreFactory } from './middleware/rateLimit.js';
import type { DpopService } from './services/dpop.js';
import type { HashGate } from './services/hashGate.js';
import type { LiveHub } from './live/liveHub.js';
import type { SessionService } from './services/sessions.js';
import type { TokenService } from './services/tokens.js';
import type { Stores } from './store/types.js';

/** What every router receives: configuration, stores, services, a logger and the clock. */
export interface AppContext {
  config: Config;
  stores: Stores;
  tokens: TokenService;
  sessions: SessionService;
  /** DPoP proof checking (`DPOP`, `DPOP_NONCE`). */
  dpop: DpopService;
  /** Where every password hash waits for its turn. */
  hashGate: HashGate;
  /** The counter store of each rate limit. */
  limiterStore: LimiterStoreFactory;
  logger: Logger;
  /** Epoch milliseconds; injected so tests can move time. */
  now: () => number;
  /** Bearer verification for protected routes (`requireAuth`). */
  authenticate: RequestHandler;
  /** Who is told of todo changes: the live endpoint's connections. */
  live: LiveHub;
}
