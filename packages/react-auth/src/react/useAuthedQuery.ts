import {
  useQuery,
  type QueryFunctionContext,
  type QueryKey,
  type UseQueryOptions,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { AuthedQueryKey } from './authedQueryOptions.js';
import type { RegisteredApi } from './registeredApi.js';
import { useAuthedQueryOptions } from './useAuthedQueryOptions.js';

/**
 * TanStack's `useQuery` options, with a `queryFn` that receives the client's request function
 * first (`RegisteredApi`: the authed axios instance, or the authed `fetch`). The key the cache (and
 * `queryFn`'s context) holds ends with the user scope.
 */
export interface UseAuthedQueryOptions<
  TQueryFnData = unknown,
  TError = Error,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
> extends Omit<
  UseQueryOptions<TQueryFnData, TError, TData, AuthedQueryKey<TQueryKey>>,
  'queryFn' | 'queryKey'
> {
  queryKey: TQueryKey;
  queryFn: (
    api: RegisteredApi,
    context: QueryFunctionContext<AuthedQueryKey<TQueryKey>>,
  ) => TQueryFnData | Promise<TQueryFnData>;
}

/**
 * `useQuery` for authenticated data: disabled until the session is authenticated (it waits for
 * `restore()`), keyed per user, never retrying a `SessionExpiredError`, reading the current token
 * on every attempt. `queryFn` receives the client's `api` first.
 */
export function useAuthedQuery<
  TQueryFnData = unknown,
  TError = Error,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
>(
  options: UseAuthedQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): UseQueryResult<TData, TError> {
  return useQuery<TQueryFnData, TError, TData, AuthedQueryKey<TQueryKey>>(
    useAuthedQueryOptions(options, 'enabled'),
  );
}
