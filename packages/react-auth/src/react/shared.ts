// The React exports that do not depend on the client's transport, shared by the root and the
// `./fetch` entries.
export { AuthGate } from './AuthGate.js';
export { useAuth } from './useAuth.js';
export { useAuthState } from './useAuthState.js';
export { authedQueryKey } from './authedQueryOptions.js';

export type { AuthGateProps } from './AuthGate.js';
export type { UseAuthResult } from './useAuth.js';
export type {
  AuthedQueryKey,
  AuthedQueryOptions,
  AuthedQueryOptionsOf,
  UserScope,
} from './authedQueryOptions.js';
export type { UseAuthedQuery, UseAuthedQueryOptionsFor } from './useAuthedQuery.js';
export type {
  UseAuthedInfiniteQuery,
  UseAuthedInfiniteQueryOptionsFor,
} from './useAuthedInfiniteQuery.js';
export type {
  UseAuthedSuspenseQuery,
  UseAuthedSuspenseQueryOptionsFor,
} from './useAuthedSuspenseQuery.js';
export type { UseAuthedMutation, UseAuthedMutationOptionsFor } from './useAuthedMutation.js';
