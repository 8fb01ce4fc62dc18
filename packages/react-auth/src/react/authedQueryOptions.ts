import type { DataTag, QueryKey, UseQueryOptions } from '@tanstack/react-query';
import type { Session } from '@tokenlane/core';
import { userKeyOf } from '@tokenlane/core/adapter';
import type { RegisteredApi } from './registeredApi.js';
import type { UseAuthedQueryOptions } from './useAuthedQuery.js';

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

/**
 * TanStack query options for authed data outside the hooks (router loaders, cache reads and
 * writes): the key `useAuthedQuery` uses for the client's current user, typed with the data (so
 * `getQueryData`/`setQueryData` know it), and a `queryFn` bound to `client.api`.
 */
export function authedQueryOptions<
  TQueryFnData = unknown,
  TError = Error,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
>(
  client: Pick<Session<unknown>, 'getState'> & { readonly api: RegisteredApi },
  options: UseAuthedQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): AuthedQueryOptions<TQueryFnData, TError, TData, TQueryKey> {
  const { api } = client;
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
