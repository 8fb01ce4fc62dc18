// The exports that do not depend on the transport, shared by every client entry.
export {
  AuthConfigError,
  AuthError,
  AuthUsageError,
  AuthRequestError,
  FreshTokenRefusedError,
  RefreshFailedError,
  SessionChangedError,
  SessionExpiredError,
} from './core/errors.js';
export { createMemoryLock, createWebLock } from './core/lock.js';
export { decodeJwt } from './core/jwt.js';
export { parseTokenResponse } from './core/tokenResponse.js';
export { ensureSession } from './core/ensureSession.js';
export { tokenlaneServer } from './core/serverProfile.js';

export type { CrossTabOptions, SessionClientOptions } from './wireSession.js';
export type { AuthErrorCode, AuthRequestCode, TokenlaneError } from './core/errors.js';
export type { AuthEndpoints } from './core/endpoints.js';
export type { AuthChannel, CrossTabMessage, IdleMessage } from './core/channel.js';
export type { LockFunc } from './core/lock.js';
export type { SessionRecordStorage } from './core/browserRecord.js';
export type { JwtClaims } from './core/jwt.js';
export type { Runtime } from './core/runtime.js';
export type { AnswerInfo, ServerProfile } from './core/serverProfile.js';
export type { TokenStorage } from './core/tokenStorage.js';
export type { TokenlaneRequestOptions } from './core/requestOptions.js';
export type {
  AuthEvents,
  AuthState,
  AuthStatus,
  AuthUser,
  LoginCredentials,
  LogoutReason,
  RefreshReason,
  Register,
  RegisteredUser,
  Session,
  TokenSet,
} from './core/types.js';
