export * from './client.js';
export { AuthProvider } from './react/AuthProvider.js';
export { AuthGate } from './react/AuthGate.js';
export { useAuthClient } from './react/AuthContext.js';
export { useAuth } from './react/useAuth.js';
export { useApi } from './react/useApi.js';
export { useAuthedQuery } from './react/useAuthedQuery.js';
export { useAuthedInfiniteQuery } from './react/useAuthedInfiniteQuery.js';
export { useAuthedSuspenseQuery } from './react/useAuthedSuspenseQuery.js';
export { useAuthedMutation } from './react/useAuthedMutation.js';

export type { AuthProviderProps } from './react/AuthProvider.js';
export type { AuthGateProps } from './react/AuthGate.js';
export type { UseAuthResult } from './react/useAuth.js';
export type { UseAuthedQueryOptions } from './react/useAuthedQuery.js';
export type { UseAuthedInfiniteQueryOptions } from './react/useAuthedInfiniteQuery.js';
export type { UseAuthedSuspenseQueryOptions } from './react/useAuthedSuspenseQuery.js';
export type { UseAuthedMutationOptions } from './react/useAuthedMutation.js';
