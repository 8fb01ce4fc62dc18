// @tokenlane/core: the session, the fetch client and the server profiles, with no React and no
// axios. It runs in browsers, workers, Node 20 and edge runtimes; the React bindings
// (@tokenlane/react-auth) and the axios client are built on it.
export { createFetchClient } from './fetch/createFetchClient.js';
export { authedFetch } from './fetch/clientFetch.js';
export { defaultShouldRefreshResponse } from './fetch/authedFetch.js';
export {
  AuthConfigError,
  AuthError,
  AuthUsageError,
  AuthRequestError,
  FreshTokenRefusedError,
  RefreshFailedError,
  SessionChangedError,
  SessionExpiredError,
} from './session/errors.js';
export { createMemoryLock, createWebLock } from './session/lock.js';
export { decodeJwt } from './session/jwt.js';
export { parseTokenResponse } from './session/tokenResponse.js';
export { ensureSession } from './session/ensureSession.js';
export { bodyTokenServer, cookieServer, tokenlaneServer } from './session/serverProfile.js';
export {
  BFF_SESSION,
  bffLoginUrl,
  bffServer,
  type BffServerOptions,
} from './session/bffProfile.js';

export type { AuthedFetch, TokenlaneRequestInit } from './fetch/authedFetch.js';
export type { FetchClient, FetchClientOptions } from './fetch/createFetchClient.js';
export type { CrossTabOptions, SessionClientOptions } from './wireSession.js';
export type { AuthErrorCode, AuthRequestCode, TokenlaneError } from './session/errors.js';
export type { AuthEndpoints } from './session/endpoints.js';
export type { AuthChannel, CrossTabMessage, IdleMessage } from './session/channel.js';
export type { HeldToken } from './session/heldToken.js';
export type { LockMessage } from './session/channelLock.js';
export type { LockFunc, LockGrant, LockTimers } from './session/lock.js';
export type { SessionRecordStorage } from './session/browserRecord.js';
export type { JwtClaims } from './session/jwt.js';
export type { Runtime } from './session/runtime.js';
export type {
  AnswerInfo,
  BodyTokenServerOptions,
  ProfileOptions,
  ServerProfile,
  TokenScheme,
} from './session/serverProfile.js';
export type { TokenStorage } from './session/tokenStorage.js';
export type {
  DpopKeys,
  PluginContext,
  PluginHooks,
  SessionParts,
  TokenlanePlugin,
} from './session/plugin.js';
export type { TokenlaneRequestOptions } from './session/requestOptions.js';
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
} from './session/types.js';
