import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import type { Config } from '../config.js';

/** The window of the login limits. */
export const LOGIN_WINDOW_MS = 60_000;
/** The window of the registration limit. */
export const REGISTER_WINDOW_MS = 3_600_000;

/** Makes the counter store of one limiter, by key prefix: bounded memory, or shared (Redis). */
export type LimiterStoreFactory = (prefix: string) => Store;

/** The client a limit counts: its IP (an IPv6 client by its /56), as `trust proxy` reveals it. */
export const clientOf = (req: Request): string => ipKeyGenerator(req.ip ?? '');

/**
 * An account, as a fixed-size key: a hash of the normalised email, so that neither a long email
 * nor the email itself is kept in the limiter's memory (or in Redis).
 */
const accountOf = (req: Request): string => {
  const { email } = req.body as { email: string };
  return createHash('sha256').update(email).digest('base64url').slice(0, 22);
};

interface LimiterSpec {
  name: string;
  windowMs: number;
  limit: number;
  key: (req: Request) => string;
  /** Count only failures (a correct password never uses up the allowance). */
  failuresOnly: boolean;
  message: string;
}

function limiter(spec: LimiterSpec, storeFor: LimiterStoreFactory): RequestHandler {
  return rateLimit({
    windowMs: spec.windowMs,
    limit: spec.limit,
    skipSuccessfulRequests: spec.failuresOnly,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: spec.name,
    store: storeFor(`${spec.name}:`),
    keyGenerator: spec.key,
    handler: (_req, res, _next, options) => {
      // For the metrics: which limit refused it (a name, never the key).
      res.locals.limiter = spec.name;
      res.status(options.statusCode).json({ error: 'rate_limited', message: spec.message });
    },
  });
}

const SIGN_IN_LATER = 'Too many failed sign-in attempts. Try again in a minute.';

/**
 * The login limits, to run after the body is validated (so keys are bounded): failed attempts
 * per IP across emails (spraying), per account across IPs (distributed guessing; the lockout lasts
 * one window at most, so a user cannot be kept out longer by someone else's guesses), and per
 * (account, IP). Past any of them: 429 `rate_limited` with `Retry-After`.
 */
export function loginLimits(
  config: Pick<Config, 'loginRateLimit' | 'loginIpRateLimit' | 'loginAccountRateLimit'>,
  storeFor: LimiterStoreFactory,
): RequestHandler[] {
  const common = { windowMs: LOGIN_WINDOW_MS, failuresOnly: true, message: SIGN_IN_LATER };
  return [
    limiter(
      { ...common, name: 'login-ip', limit: config.loginIpRateLimit, key: clientOf },
      storeFor,
    ),
    limiter(
      { ...common, name: 'login-account', limit: config.loginAccountRateLimit, key: accountOf },
      storeFor,
    ),
    limiter(
      {
        ...common,
        name: 'login',
        limit: config.loginRateLimit,
        key: (req) => `${accountOf(req)}|${clientOf(req)}`,
      },
      storeFor,
    ),
  ];
}

/** Registrations per IP and hour, successful or not (each costs a hash and can probe an email). */
export function registerLimit(
  config: Pick<Config, 'registerRateLimit'>,
  storeFor: LimiterStoreFactory,
): RequestHandler {
  return limiter(
    {
      name: 'register',
      windowMs: REGISTER_WINDOW_MS,
      limit: config.registerRateLimit,
      key: clientOf,
      failuresOnly: false,
      message: 'Too many registrations from this address. Try again later.',
    },
    storeFor,
  );
}
