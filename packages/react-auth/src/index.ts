export * from './client.js';
export * from './react/shared.js';
export {
  AuthProvider,
  authedQueryOptions,
  useApi,
  useAuthClient,
  useAuthedInfiniteQuery,
  useAuthedMutation,
  useAuthedQuery,
  useAuthedSuspenseQuery,
} from './react/bindings/axios.js';

export type {
  AuthProviderProps,
  UseAuthedInfiniteQueryOptions,
  UseAuthedMutationOptions,
  UseAuthedQueryOptions,
  UseAuthedSuspenseQueryOptions,
} from './react/bindings/axios.js';
