export { createBff, type Bff, type BffOptions } from './createBff.js';
export { BffError, type BffErrorCode } from './errors.js';
export { sealingKeys, sessionIdHash, type SealingKeys } from './sealing.js';
export { SESSION_COOKIE } from './cookies.js';
export { CUSTOM_HEADER } from './guards.js';
export type { ProxyRoute } from './proxy.js';
export type { RefreshListener } from './refresh.js';
export type { RequestInfo, SessionFacts } from './context.js';
export { withRequestScope, type ServerSession, type SessionSource } from './serverSession.js';
export { sqliteStore, type SqliteStoreOptions } from './store/sqlite.js';
export type { SessionStore, StoredSession } from './store/types.js';
export {
  oidcUpstream,
  type ClientAuthentication,
  type OidcUpstreamOptions,
} from './upstream/oidcUpstream.js';
export { tokenlaneUpstream, type TokenlaneUpstreamOptions } from './upstream/tokenlaneUpstream.js';
export {
  UpstreamAnswer,
  type AuthorizationOptions,
  type AuthorizationStart,
  type IssuedTokens,
  type Upstream,
  type UpstreamGrant,
  type UpstreamTokens,
  type UpstreamUser,
} from './upstream/types.js';
