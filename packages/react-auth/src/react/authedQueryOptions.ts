import type { DataTag, QueryKey, UseQueryOptions } from '@tanstack/react-query';
import type { Session } from '../core/types.js';
import type { UseAuthedQueryOptionsFor } from './useAuthedQuery.js';
import { userKeyOf } from '../core/userKey.js';

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

/** The options `authedQueryOptions` returns: TanStack's, with the key tagged by the data type. */
export type AuthedQueryOptions<
  TQueryFnData,
  TError,
  TData,
  TQueryKey extends QueryKey,
> = UseQueryOptions<TQueryFnData, TError, TData, AuthedQueryKey<TQueryKey>> & {
  queryKey: DataTag<AuthedQueryKey<TQueryKey>, TQueryFnData, TError>;
};

/** `authedQueryOptions` for a client of type `TClient` whose request function is `TApi`. */
export type AuthedQueryOptionsOf<TClient, TApi> = <
  TQueryFnData = unknown,
  TError = Error,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
>(
  client: TClient,
  options: UseAuthedQueryOptionsFor<TApi, TQueryFnData, TError, TData, TQueryKey>,
) => AuthedQueryOptions<TQueryFnData, TError, TData, TQueryKey>;

/**
 * TanStack query options for authed data outside the hooks: the key `useAuthedQuery` uses for the
 * client's current user (typed with the data, so `getQueryData`/`setQueryData` know it) and a
 * `queryFn` bound to `api`. Each entry exports it bound to its client's request function.
 */
export function authedQueryOptionsFor<
  TApi,
  TQueryFnData,
  TError,
  TData,
  TQueryKey extends QueryKey,
>(
  client: Pick<Session<unknown>, 'getState'>,
  api: TApi,
  options: UseAuthedQueryOptionsFor<TApi, TQueryFnData, TError, TData, TQueryKey>,
): AuthedQueryOptions<TQueryFnData, TError, TData, TQueryKey> {
  return {
    ...options,
    // Tagged with the data type, as TanStack's own queryOptions() does, so cache reads are typed.
    queryKey: authedQueryKey(options.queryKey, client.getState().user) as DataTag<
      AuthedQueryKey<TQueryKey>,
      TQueryFnData,
      TError
    >,
    queryFn: (context) => options.queryFn(api, context),
  };
}
