import type { PostJson } from './authCalls.js';
import type { DpopKeys } from './plugin.js';
import { DEFAULT_ENDPOINTS } from './endpoints.js';
import { AuthError } from './errors.js';
import { isExpiryAnswer } from './expiry.js';
import { parseTokenResponse } from './tokenResponse.js';
import type { AuthTransport, LoginCredentials, RegisteredUser, TokenSet } from './types.js';

/** What an answer to an authed request says about the access token. */
export interface AnswerInfo {
  status: number | undefined;
  /** The `WWW-Authenticate` header, if any. */
  challenge: string | undefined;
}

/**
 * Everything Tokenlane must know about a server: its auth calls and their bodies, how to read a
 * token answer, how the access token travels, what an expiry answer looks like, and where the
 * refresh token lives. Pass one as the `server` option; `tokenlaneServer` is the default.
 */
export interface ServerProfile<TUser = RegisteredUser, TCredentials = LoginCredentials> {
  /** Paths of the auth calls (joined to `baseURL`). Without `logout`, logging out is local only. */
  endpoints: { login: string; refresh: string; logout?: string | undefined };
  /**
   * `'cookie'`: the server keeps the refresh token in an HttpOnly cookie the browser sends.
   * `'body'`: the server hands it in the token answer; the session holds it (see `storage`).
   */
  refreshToken: 'cookie' | 'body';
  /** The JSON body of the login call. */
  loginBody: (credentials: TCredentials) => unknown;
  /** The JSON body of the refresh call; `refreshToken` is what the session holds (`null` with a cookie). */
  refreshBody: (refreshToken: string | null) => unknown;
  /** The JSON body of the logout call. */
  logoutBody: (refreshToken: string | null) => unknown;
  /** Reads a login or refresh answer; throws `AuthError` when it holds no access token. */
  parseTokenResponse: (data: unknown) => TokenSet<TUser>;
  /** The header that carries the access token on a request, and its value. */
  authorization: (accessToken: string) => [name: string, value: string];
  /** Whether an answer to an authed request means the access token expired. */
  isExpired: (answer: AnswerInfo) => boolean;
  /**
   * The three calls made some other way than JSON posts to `endpoints` (OAuth's form-encoded
   * grants through oauth4webapi); `post` is the client's JSON transport, if they want it, and
   * `dpop` the client's DPoP key pair when it has one (see `dpopCalls`).
   */
  calls?: (post: PostJson, dpop?: DpopKeys) => AuthTransport<TUser, TCredentials>;
  /**
   * Whether `calls` signs DPoP proofs itself with the key pair it is given. Without it, a client
   * with `dpop` refuses the profile (`dpop_unsupported`) rather than send unbound token calls.
   */
  dpopCalls?: boolean;
}

/** How the access token is written into a request. */
export type TokenScheme =
  /** `Authorization: Bearer <token>` (RFC 6750). */
  | 'bearer'
  /** `Authorization: <token>`, the token alone. */
  | 'raw'
  /** Another header, with an optional prefix: `{ header: 'X-Auth-Token' }`. */
  | { header: string; prefix?: string };

const authorizationFor =
  (scheme: TokenScheme = 'bearer') =>
  (token: string): [string, string] =>
    scheme === 'bearer'
      ? ['Authorization', `Bearer ${token}`]
      : scheme === 'raw'
        ? ['Authorization', token]
        : [scheme.header, `${scheme.prefix ?? ''}${token}`];

/** RFC 6750's rule: a 401 naming `invalid_token`, or a 401 without `WWW-Authenticate`. */
const rfc6750: (answer: AnswerInfo) => boolean = isExpiryAnswer;

/** Tokenlane's own API: `{ accessToken, expiresIn, user }`, the refresh token in a cookie. */
export const tokenlaneServer: ServerProfile<RegisteredUser, LoginCredentials> = {
  endpoints: DEFAULT_ENDPOINTS,
  refreshToken: 'cookie',
  loginBody: (credentials) => credentials,
  refreshBody: () => ({}),
  logoutBody: () => ({}),
  parseTokenResponse,
  authorization: authorizationFor(),
  isExpired: rfc6750,
};

/** The fields and rules a configurable profile reads; see `cookieServer` and `bodyTokenServer`. */
export interface ProfileOptions {
  /** Path of the login call. */
  login: string;
  /** Path of the refresh call. */
  refresh: string;
  /** Path of the logout call; without it, logging out is local only. */
  logout?: string;
  /** Where the access token is in a token answer. */
  accessTokenField?: string;
  /** Where its lifetime in seconds is, if the server says; else the JWT's `exp` and `iat`. */
  expiresInField?: string;
  /** Where the user is, if the server says. */
  userField?: string;
  /**
   * Where the seconds until the session ends are (the refresh token's lifetime), if the server
   * says (`sessionEndsAt` in the state). @default none; `'refresh_expires_in'` for `bodyTokenServer`
   */
  sessionExpiresInField?: string;
  /** How the access token travels. @default 'bearer' */
  scheme?: TokenScheme;
  /**
   * The statuses that mean "the access token expired". @default the RFC 6750 rule (a 401 naming
   * `invalid_token`, or a 401 without `WWW-Authenticate`)
   */
  expiredStatus?: number[];
}

/** A field of a JSON object, if `data` is one. */
const field = (data: unknown, name: string | undefined): unknown =>
  name !== undefined && typeof data === 'object' && data !== null
    ? (data as Record<string, unknown>)[name]
    : undefined;

function tokenSetReader<TUser>(
  options: ProfileOptions,
  fallbackField: string,
  refreshField?: string,
  sessionField?: string,
) {
  return (data: unknown): TokenSet<TUser> => {
    const accessToken = field(data, options.accessTokenField ?? fallbackField);
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw new AuthError(
        'invalid_token_response',
        `No ${options.accessTokenField ?? fallbackField}`,
      );
    }
    const expiresIn = field(data, options.expiresInField);
    const sessionExpiresIn = field(data, options.sessionExpiresInField ?? sessionField);
    const refreshToken = field(data, refreshField);
    const user = field(data, options.userField);
    return {
      accessToken,
      expiresIn: typeof expiresIn === 'number' ? expiresIn : undefined,
      sessionExpiresIn: typeof sessionExpiresIn === 'number' ? sessionExpiresIn : undefined,
      user: user === undefined ? undefined : (user as TUser | null),
      refreshToken:
        typeof refreshToken === 'string' && refreshToken !== '' ? refreshToken : undefined,
    };
  };
}

const expiryRule = (statuses: number[] | undefined) =>
  statuses ? ({ status }: AnswerInfo) => statuses.includes(status ?? 0) : rfc6750;

/**
 * A server that keeps the refresh token in an HttpOnly cookie, configured by paths and fields.
 * The convention of the popular blog recipe, for example: `cookieServer({ login:
 * '/api/user/login', refresh: '/api/user/refresh_token', scheme: 'raw', expiredStatus: [403] })`.
 */
export function cookieServer<TUser = RegisteredUser, TCredentials = LoginCredentials>(
  options: ProfileOptions,
): ServerProfile<TUser, TCredentials> {
  return {
    endpoints: { login: options.login, refresh: options.refresh, logout: options.logout },
    refreshToken: 'cookie',
    loginBody: (credentials) => credentials,
    refreshBody: () => ({}),
    logoutBody: () => ({}),
    parseTokenResponse: tokenSetReader<TUser>(options, 'access_token'),
    authorization: authorizationFor(options.scheme),
    isExpired: expiryRule(options.expiredStatus),
  };
}

/** Options of `bodyTokenServer`: a profile's, plus where the refresh token goes. */
export interface BodyTokenServerOptions extends ProfileOptions {
  /** Where the refresh token is in a token answer, and its name in the refresh call. @default 'refresh' */
  refreshTokenField?: string;
}

/**
 * A server that hands the refresh token in the token answer's body and takes it back in the
 * refresh call's body: Django REST framework simplejwt, for example, is `bodyTokenServer({ login:
 * '/api/token/', refresh: '/api/token/refresh/', expiredStatus: [401] })` (fields `access` and
 * `refresh`; a rotated refresh token replaces the old one).
 */
export function bodyTokenServer<TUser = RegisteredUser, TCredentials = LoginCredentials>(
  options: BodyTokenServerOptions,
): ServerProfile<TUser, TCredentials> {
  const refreshField = options.refreshTokenField ?? 'refresh';
  return {
    endpoints: { login: options.login, refresh: options.refresh, logout: options.logout },
    refreshToken: 'body',
    loginBody: (credentials) => credentials,
    refreshBody: (refreshToken) => ({ [refreshField]: refreshToken }),
    logoutBody: (refreshToken) => ({ [refreshField]: refreshToken }),
    parseTokenResponse: tokenSetReader<TUser>(
      options,
      'access',
      refreshField,
      'refresh_expires_in',
    ),
    authorization: authorizationFor(options.scheme),
    isExpired: expiryRule(options.expiredStatus),
  };
}
