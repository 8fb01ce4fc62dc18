import {
  useInfiniteQuery,
  type InfiniteData,
  type QueryFunctionContext,
  type QueryKey,
  type UseInfiniteQueryOptions,
  type UseInfiniteQueryResult,
} from '@tanstack/react-query';
import type { AuthedQueryKey } from './authedQueryOptions.js';
import type { RegisteredApi } from './registeredApi.js';
import { useAuthedQueryOptions } from './useAuthedQueryOptions.js';

/** TanStack's `useInfiniteQuery` options, with a `queryFn` that receives the client's `api` (`RegisteredApi`) first. */
export interface UseAuthedInfiniteQueryOptions<
  TQueryFnData = unknown,
  TError = Error,
  TData = InfiniteData<TQueryFnData>,
  TQueryKey extends QueryKey = QueryKey,
  TPageParam = unknown,
> extends Omit<
  UseInfiniteQueryOptions<TQueryFnData, TError, TData, AuthedQueryKey<TQueryKey>, TPageParam>,
  'queryFn' | 'queryKey'
> {
  queryKey: TQueryKey;
  queryFn: (
    api: RegisteredApi,
    context: QueryFunctionContext<AuthedQueryKey<TQueryKey>, TPageParam>,
  ) => TQueryFnData | Promise<TQueryFnData>;
}

/** `useInfiniteQuery` with the same guarantees as `useAuthedQuery`. */
export function useAuthedInfiniteQuery<
  TQueryFnData = unknown,
  TError = Error,
  TData = InfiniteData<TQueryFnData>,
  TQueryKey extends QueryKey = QueryKey,
  TPageParam = unknown,
>(
  options: UseAuthedInfiniteQueryOptions<TQueryFnData, TError, TData, TQueryKey, TPageParam>,
): UseInfiniteQueryResult<TData, TError> {
  return useInfiniteQuery<TQueryFnData, TError, TData, AuthedQueryKey<TQueryKey>, TPageParam>(
    useAuthedQueryOptions(options, 'enabled'),
  );
}
