import {
  useQuery,
  type QueryFunctionContext,
  type QueryKey,
  type UseQueryOptions,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { AuthedQueryKey } from './authedQueryOptions.js';
import { useAuthedQueryOptions } from './useAuthedQueryOptions.js';

/**
 * TanStack's `useQuery` options, with a `queryFn` that receives the client's request function
 * first (`TApi`: the authed axios instance, or the authed `fetch`). The key the cache (and
 * `queryFn`'s context) holds ends with the user scope.
 */
export interface UseAuthedQueryOptionsFor<
  TApi,
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
    api: TApi,
    context: QueryFunctionContext<AuthedQueryKey<TQueryKey>>,
  ) => TQueryFnData | Promise<TQueryFnData>;
}

/** `useAuthedQuery` for a client whose request function is `TApi`. */
export type UseAuthedQuery<TApi> = <
  TQueryFnData = unknown,
  TError = Error,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
>(
  options: UseAuthedQueryOptionsFor<TApi, TQueryFnData, TError, TData, TQueryKey>,
) => UseQueryResult<TData, TError>;

/**
 * `useQuery` for authenticated data: disabled until the session is authenticated (it waits for
 * `restore()`), keyed per user, never retrying a `SessionExpiredError`, reading the current token
 * on every attempt. Each entry exports it typed for its client.
 */
export function useAuthedQuery<TApi, TQueryFnData, TError, TData, TQueryKey extends QueryKey>(
  options: UseAuthedQueryOptionsFor<TApi, TQueryFnData, TError, TData, TQueryKey>,
): UseQueryResult<TData, TError> {
  return useQuery<TQueryFnData, TError, TData, AuthedQueryKey<TQueryKey>>(
    useAuthedQueryOptions(options, 'enabled'),
  );
}
