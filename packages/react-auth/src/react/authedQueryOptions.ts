import type { DataTag, QueryKey, UseQueryOptions } from '@tanstack/react-query';
import type { AuthClient } from '../createAuthClient.js';
import type { UseAuthedQueryOptions } from './useAuthedQuery.js';
import { userKeyOf } from './userKey.js';

/** The segment appended to every authed query key: whose data it is. */
export interface UserScope {
  user: string | number | null;
}

/** A query key as the cache holds it: the caller's key, then the user it belongs to. */
export type AuthedQueryKey<TQueryKey extends QueryKey = QueryKey> = readonly [
  ...TQueryKey,
  UserScope,
];

/**
 * The key under which the authed hooks cache `queryKey` for `user`, appended so that prefix
 * filters (`invalidateQueries({ queryKey: ['todos'] })`) still match every user's entry.
 */
export function authedQueryKey<TQueryKey extends QueryKey>(
  queryKey: TQueryKey,
  user: unknown,
): AuthedQueryKey<TQueryKey> {
  return [...queryKey, { user: userKeyOf(user) }];
}

/**
 * TanStack query options for authed data outside the hooks: the key `useAuthedQuery` uses for the
 * client's current user (typed with the data, so `getQueryData`/`setQueryData` know it) and a
 * `queryFn` bound to `client.axios`. For `queryClient.ensureQueryData`/`prefetchQuery` in a
 * router loader, and for reading or writing the cache (optimistic updates).
 */
export function authedQueryOptions<
  TQueryFnData = unknown,
  TError = Error,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
>(
  client: Pick<AuthClient<unknown>, 'axios' | 'getState'>,
  options: UseAuthedQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): UseQueryOptions<TQueryFnData, TError, TData, AuthedQueryKey<TQueryKey>> & {
  queryKey: DataTag<AuthedQueryKey<TQueryKey>, TQueryFnData, TError>;
} {
  return {
    ...options,
    // Tagged with the data type, as TanStack's own queryOptions() does, so cache reads are typed.
    queryKey: authedQueryKey(options.queryKey, client.getState().user) as DataTag<
      AuthedQueryKey<TQueryKey>,
      TQueryFnData,
      TError
    >,
    queryFn: (context) => options.queryFn(client.axios, context),
  };
}
