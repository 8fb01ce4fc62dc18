export { createAuthClient } from './createAuthClient.js';
export {
  AuthError,
  AuthRequestError,
  RefreshFailedError,
  SessionExpiredError,
} from './core/errors.js';
export { createMemoryLock, createWebLock } from './core/lock.js';
export { decodeJwt } from './core/jwt.js';
export { defaultShouldRefresh } from './axios/shouldRefresh.js';
export { parseTokenResponse } from './core/tokenResponse.js';

export type { AuthClient, AuthClientOptions, CrossTabOptions } from './createAuthClient.js';
export type { AuthEndpoints } from './core/endpoints.js';
export type { AuthChannel, CrossTabMessage } from './core/channel.js';
export type { LockFunc } from './core/lock.js';
export type { JwtClaims } from './core/jwt.js';
export type { Runtime } from './core/runtime.js';
export type {
  AuthEvents,
  AuthState,
  AuthStatus,
  AuthUser,
  LoginCredentials,
  RefreshReason,
  Register,
  RegisteredUser,
  TokenSet,
} from './core/types.js';
