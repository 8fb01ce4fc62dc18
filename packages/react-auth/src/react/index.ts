// The React bindings: one provider and one hook set for every transport, typed once through
// `Register` (its `api` slot types what `queryFn` and `mutationFn` receive).
export { AuthProvider } from './AuthProvider.js';
export { AuthGate } from './AuthGate.js';
export { AuthHydration } from './AuthHydration.js';
export { useAuth } from './useAuth.js';
export { useAuthState } from './useAuthState.js';
export { useApi, useAuthClient } from './useApi.js';
export { useAuthedQuery } from './useAuthedQuery.js';
export { useAuthedInfiniteQuery } from './useAuthedInfiniteQuery.js';
export { useAuthedSuspenseQuery } from './useAuthedSuspenseQuery.js';
export { useAuthedMutation } from './useAuthedMutation.js';
export { authedQueryKey, authedQueryOptions } from './authedQueryOptions.js';

export type { AuthProviderProps, ReactAuthClient } from './AuthProvider.js';
export type { AuthGateProps } from './AuthGate.js';
export type { AuthHydrationProps } from './AuthHydration.js';
export type { UseAuthResult } from './useAuth.js';
export type { RegisteredApi, TransportApis } from './registeredApi.js';
export type { AuthedQueryKey, AuthedQueryOptions, UserScope } from './authedQueryOptions.js';
export type { UseAuthedQueryOptions } from './useAuthedQuery.js';
export type { UseAuthedInfiniteQueryOptions } from './useAuthedInfiniteQuery.js';
export type { UseAuthedSuspenseQueryOptions } from './useAuthedSuspenseQuery.js';
export type { UseAuthedMutationOptions } from './useAuthedMutation.js';
