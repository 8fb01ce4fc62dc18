import {
  useInfiniteQuery,
  type InfiniteData,
  type QueryFunctionContext,
  type QueryKey,
  type UseInfiniteQueryOptions,
  type UseInfiniteQueryResult,
} from '@tanstack/react-query';
import type { AuthedQueryKey } from './authedQueryOptions.js';
import { useAuthedQueryOptions } from './useAuthedQueryOptions.js';

/** TanStack's `useInfiniteQuery` options, with a `queryFn` that receives the client's request function first. */
export interface UseAuthedInfiniteQueryOptionsFor<
  TApi,
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
    api: TApi,
    context: QueryFunctionContext<AuthedQueryKey<TQueryKey>, TPageParam>,
  ) => TQueryFnData | Promise<TQueryFnData>;
}

/** `useAuthedInfiniteQuery` for a client whose request function is `TApi`. */
export type UseAuthedInfiniteQuery<TApi> = <
  TQueryFnData = unknown,
  TError = Error,
  TData = InfiniteData<TQueryFnData>,
  TQueryKey extends QueryKey = QueryKey,
  TPageParam = unknown,
>(
  options: UseAuthedInfiniteQueryOptionsFor<
    TApi,
    TQueryFnData,
    TError,
    TData,
    TQueryKey,
    TPageParam
  >,
) => UseInfiniteQueryResult<TData, TError>;

/** `useInfiniteQuery` with the same guarantees as `useAuthedQuery`. */
export function useAuthedInfiniteQuery<
  TApi,
  TQueryFnData,
  TError,
  TData,
  TQueryKey extends QueryKey,
  TPageParam,
>(
  options: UseAuthedInfiniteQueryOptionsFor<
    TApi,
    TQueryFnData,
    TError,
    TData,
    TQueryKey,
    TPageParam
  >,
): UseInfiniteQueryResult<TData, TError> {
  return useInfiniteQuery<TQueryFnData, TError, TData, AuthedQueryKey<TQueryKey>, TPageParam>(
    useAuthedQueryOptions(options, 'enabled'),
  );
}
