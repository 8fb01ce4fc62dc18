import { randomUUID } from 'node:crypto';
import { Router, type CookieOptions, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { csrf } from '../middleware/csrf.js';
import { HttpError } from '../middleware/errors.js';
import { loginRateLimit } from '../middleware/rateLimit.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../services/passwords.js';
import { hashRefreshToken, newRefreshToken } from '../services/tokens.js';
import type { PublicUser, UserRecord } from '../store/types.js';

/** Name of the refresh-token cookie. */
export const REFRESH_COOKIE = 'tokenlane_rt';

/** Attributes of the refresh cookie; clearing it uses the same ones. */
const COOKIE_OPTIONS: CookieOptions = {
  httpOnly: true,
  secure: true,
  sameSite: 'strict',
  path: '/auth',
};

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
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

const invalidGrant = () =>
  new HttpError(401, 'invalid_grant', 'The session has ended. Please sign in again.');

const toPublic = ({ id, email, name, role }: UserRecord): PublicUser => ({ id, email, name, role });

/** `/auth/*`: register, login, refresh (rotation with reuse detection), logout, me. */
export function authRoutes(ctx: AppContext): Router {
  const { config, stores, tokens, now, authenticate } = ctx;
  const router = Router();

  router.use('/auth', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.post('/auth/*path', csrf(config.corsOrigins));

  const sendTokens = (res: Response, user: UserRecord, status = 200) => {
    const { token, expiresIn } = tokens.sign(user, now());
    res
      .status(status)
      .json({ accessToken: token, tokenType: 'Bearer', expiresIn, user: toPublic(user) });
  };
  const setRefreshCookie = (res: Response, token: string, expiresAt: number) => {
    res.cookie(REFRESH_COOKIE, token, {
      ...COOKIE_OPTIONS,
      maxAge: Math.max(0, expiresAt - now()),
    });
  };
  const startSession = async (res: Response, user: UserRecord, status = 200) => {
    const token = newRefreshToken();
    const at = now();
    const family = await stores.refresh.createFamily({
      familyId: randomUUID(),
      userId: user.id,
      tokenHash: hashRefreshToken(token),
      now: at,
      expiresAt: at + config.refreshTokenTtl * 1000,
    });
    setRefreshCookie(res, token, family.expiresAt);
    sendTokens(res, user, status);
  };
  const presentedToken = (cookies: unknown): string | undefined => {
    const value: unknown = (cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
    return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
  };

  router.post('/auth/register', async (req, res) => {
    const body = registerBody.parse(req.body);
    const user = await stores.users.create({
      email: body.email,
      name: body.name ?? body.email.split('@')[0] ?? body.email,
      role: 'user',
      passwordHash: await hashPassword(body.password),
    });
    if (!user) throw new HttpError(409, 'email_taken', 'An account with this email already exists');
    await startSession(res, user, 201);
  });

  router.post('/auth/login', loginRateLimit(config.loginRateLimit), async (req, res) => {
    const body = loginBody.parse(req.body);
    const user = await stores.users.findByEmail(body.email);
    // An unknown email still pays for one scrypt, so timing does not reveal which emails exist.
    const valid = await verifyPassword(
      body.password,
      user?.passwordHash ?? (await dummyPasswordHash()),
    );
    if (!user || !valid) {
      throw new HttpError(401, 'invalid_credentials', 'Email or password is incorrect');
    }
    await startSession(res, user);
  });

  router.post('/auth/refresh', async (req, res) => {
    const presented = presentedToken(req.cookies);
    if (!presented) throw invalidGrant();
    const next = newRefreshToken();
    const result = await stores.refresh.rotate({
      tokenHash: hashRefreshToken(presented),
      newTokenHash: hashRefreshToken(next),
      now: now(),
      graceMs: config.refreshReuseGrace * 1000,
    });
    if (result.kind === 'reused') {
      ctx.logger.warn({ familyId: result.family.id }, 'refresh token reuse: family revoked');
    }
    const user =
      result.kind === 'rotated' || result.kind === 'grace'
        ? await stores.users.findById(result.family.userId)
        : undefined;
    if (!user) {
      res.clearCookie(REFRESH_COOKIE, COOKIE_OPTIONS);
      throw invalidGrant();
    }
    // Within the grace window the browser already holds the child: leave its cookie alone.
    if (result.kind === 'rotated') setRefreshCookie(res, next, result.family.expiresAt);
    sendTokens(res, user);
  });

  router.post('/auth/logout', async (req, res) => {
    const presented = presentedToken(req.cookies);
    if (presented) await stores.refresh.revokeByToken(hashRefreshToken(presented), now());
    res.clearCookie(REFRESH_COOKIE, COOKIE_OPTIONS);
    res.status(204).end();
  });

  router.get('/auth/me', authenticate, async (req, res) => {
    const user = req.auth ? await stores.users.findById(req.auth.sub) : undefined;
    if (!user) throw new HttpError(401, 'invalid_token', 'The account no longer exists');
    res.json(toPublic(user));
  });

  return router;
}
