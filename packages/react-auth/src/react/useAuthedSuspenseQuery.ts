import {
  useSuspenseQuery,
  type QueryFunctionContext,
  type QueryKey,
  type UseSuspenseQueryOptions,
  type UseSuspenseQueryResult,
} from '@tanstack/react-query';
import type { AuthedQueryKey } from './authedQueryOptions.js';
import type { RegisteredApi } from './registeredApi.js';
import { useAuthedQueryOptions } from './useAuthedQueryOptions.js';

/** TanStack's `useSuspenseQuery` options, with a `queryFn` that receives the client's `api` (`RegisteredApi`) first. */
export interface UseAuthedSuspenseQueryOptions<
  TQueryFnData = unknown,
  TError = Error,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
> extends Omit<
  UseSuspenseQueryOptions<TQueryFnData, TError, TData, AuthedQueryKey<TQueryKey>>,
  'queryFn' | 'queryKey'
> {
  queryKey: TQueryKey;
  queryFn: (
    api: RegisteredApi,
    context: QueryFunctionContext<AuthedQueryKey<TQueryKey>>,
  ) => TQueryFnData | Promise<TQueryFnData>;
}

/**
 * `useSuspenseQuery` for authenticated data. It suspends while the session is restored; signed
 * out, it throws `SessionExpiredError` to the nearest error boundary (wrap it in `<AuthGate>`).
 */
export function useAuthedSuspenseQuery<
  TQueryFnData = unknown,
  TError = Error,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
>(
  options: UseAuthedSuspenseQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): UseSuspenseQueryResult<TData, TError> {
  return useSuspenseQuery<TQueryFnData, TError, TData, AuthedQueryKey<TQueryKey>>(
    useAuthedQueryOptions(options, 'queryFn'),
  );
}
