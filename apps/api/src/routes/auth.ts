import {
  Router,
  type CookieOptions,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { HttpError, invalidGrant } from '../errors.js';
import { csrf } from '../middleware/csrf.js';
import { requestUrl } from '../middleware/requireAuth.js';
import { DpopProofError } from '../services/dpop.js';
import { clientOf, loginLimits, registerLimit } from '../middleware/rateLimit.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../services/passwords.js';
import { toAuthUser, type IssuedRefreshToken } from '../services/sessions.js';

/** Name of the refresh-token cookie. */
export const REFRESH_COOKIE = 'tokenlane_rt';

/** Attributes of the refresh cookie; clearing it uses the same ones. */
const COOKIE_OPTIONS: CookieOptions = {
  httpOnly: true,
  secure: true,
  sameSite: 'strict',
  path: '/auth',
};

const duplicateCookie = () =>
  new HttpError(400, 'invalid_request', 'The refresh cookie was sent more than once');

const email = z
  .email()
  .max(320)
  .transform((value) => value.toLowerCase());
const registerBody = z.object({
  email,
  password: z.string().min(12, 'must be at least 12 characters').max(1024),
  name: z.string().trim().min(1).max(100).optional(),
});
const loginBody = z.object({
  email: z.string().trim().toLowerCase().min(1).max(320),
  password: z.string().min(1).max(1024),
});

/** Replaces the body with its validated form, so that what follows (limiter keys) is bounded. */
const validBody =
  (schema: z.ZodType): RequestHandler =>
  (req, _res, next) => {
    req.body = schema.parse(req.body);
    next();
  };

/**
 * How many times the raw `Cookie` header carries the refresh cookie. More than once means another
 * site (a sibling subdomain) planted its own: "cookie tossing".
 */
const refreshCookieCount = (header: string | undefined): number =>
  (header ?? '').split(';').filter((pair) => pair.trim().startsWith(`${REFRESH_COOKIE}=`)).length;

/** The refresh token the browser presented, if it looks like one. */
const presentedToken = (cookies: unknown): string | undefined => {
  const value: unknown = (cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
};

/** `/auth`: register, login, refresh (rotation with reuse detection), logout, me. */
export function authRoutes(ctx: AppContext): Router {
  const { config, stores, sessions, now, authenticate, hashGate, limiterStore, dpop } = ctx;
  const router = Router();

  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.post('/{*path}', csrf(config.corsOrigins));

  /**
   * The DPoP key a token call proves possession of (its thumbprint), or `undefined` for a Bearer
   * client; a bad proof is a 400 (`invalid_dpop_proof`, or `use_dpop_nonce` with the nonce).
   */
  const proofKey = async (req: Request, res: Response): Promise<string | undefined> => {
    const nonce = dpop.nonce();
    if (nonce !== undefined) res.set('DPoP-Nonce', nonce);
    try {
      return await dpop.check({ proof: req.get('dpop'), method: req.method, url: requestUrl(req) });
    } catch (error) {
      if (error instanceof DpopProofError) throw new HttpError(400, error.code, error.message);
      throw error;
    }
  };

  /** The refresh token the request's cookie holds, unless a tossed cookie sits beside ours. */
  const onlyRefreshToken = (req: Request) =>
    refreshCookieCount(req.headers.cookie) > 1 ? undefined : presentedToken(req.cookies);

  const setRefreshCookie = (res: Response, { token, expiresAt }: IssuedRefreshToken) => {
    res.cookie(REFRESH_COOKIE, token, {
      ...COOKIE_OPTIONS,
      maxAge: Math.max(0, expiresAt - now()),
    });
  };

  router.post(
    '/register',
    validBody(registerBody),
    registerLimit(config, limiterStore),
    async (req, res) => {
      const body = req.body as z.infer<typeof registerBody>;
      const jkt = await proofKey(req, res);
      const passwordHash = await hashGate.run(clientOf(req), () => hashPassword(body.password));
      const user = await stores.users.create({
        email: body.email,
        name: body.name ?? body.email.split('@')[0] ?? body.email,
        role: 'user',
        passwordHash,
      });
      if (!user)
        throw new HttpError(409, 'email_taken', 'An account with this email already exists');
      const { response, refreshToken } = await sessions.start(user, jkt);
      setRefreshCookie(res, refreshToken);
      res.status(201).json(response);
    },
  );

  router.post(
    '/login',
    validBody(loginBody),
    ...loginLimits(config, limiterStore),
    async (req, res) => {
      const body = req.body as z.infer<typeof loginBody>;
      // Before the password's hash: a bad proof costs the server nothing.
      const jkt = await proofKey(req, res);
      const user = await stores.users.findByEmail(body.email);
      // An unknown email still pays for one scrypt, so timing does not reveal which emails exist.
      const stored = user?.passwordHash ?? (await dummyPasswordHash());
      const valid = await hashGate.run(clientOf(req), () => verifyPassword(body.password, stored));
      if (!user || !valid) {
        throw new HttpError(401, 'invalid_credentials', 'Email or password is incorrect');
      }
      const { response, refreshToken } = await sessions.start(user, jkt);
      // A sign-in starts a new session: the one whose cookie came with it ends (any user's).
      const replaced = onlyRefreshToken(req);
      if (replaced) await sessions.end(replaced, jkt);
      setRefreshCookie(res, refreshToken);
      res.json(response);
    },
  );

  router.post('/refresh', async (req, res) => {
    // Which of two same-named cookies is ours cannot be known: refuse, and touch neither.
    if (refreshCookieCount(req.headers.cookie) > 1) throw duplicateCookie();
    const presented = presentedToken(req.cookies);
    if (!presented) throw invalidGrant();
    const renewal = await sessions.renew(presented, await proofKey(req, res));
    if (renewal.kind === 'refused') {
      res.clearCookie(REFRESH_COOKIE, COOKIE_OPTIONS);
      throw invalidGrant();
    }
    if (renewal.refreshToken) setRefreshCookie(res, renewal.refreshToken);
    res.json(renewal.response);
  });

  router.post('/logout', async (req, res) => {
    // With a tossed cookie beside ours, revoke neither family; the cookie is still cleared. So it
    // is when the DPoP key cannot be proven (nothing is revoked then), and when the store is down
    // (the family is revoked once it is back): a logout always ends the browser's session.
    const presented = onlyRefreshToken(req);
    const proven = await proofKey(req, res).then(
      (jkt) => ({ jkt }),
      (error: unknown) => {
        // A nonce challenge is answered by the client's retry, which then revokes.
        if (error instanceof HttpError && error.code === 'use_dpop_nonce') throw error;
        return undefined;
      },
    );
    if (presented && proven) await sessions.end(presented, proven.jkt);
    res.clearCookie(REFRESH_COOKIE, COOKIE_OPTIONS);
    res.status(204).end();
  });

  router.get('/me', authenticate, async (req, res) => {
    const user = req.auth ? await stores.users.findById(req.auth.sub) : undefined;
    if (!user) throw new HttpError(401, 'invalid_token', 'The account no longer exists');
    res.json(toAuthUser(user));
  });

  return router;
}
