import type { QueryKey } from '@tanstack/react-query';
import type { AxiosInstance } from 'axios';
import type { ReactNode } from 'react';
import type { AuthClient } from '../../createAuthClient.js';
import type { LoginCredentials, RegisteredUser } from '../../core/types.js';
import { useAuthContext } from '../AuthContext.js';
import { authedQueryOptionsFor, type AuthedQueryOptionsOf } from '../authedQueryOptions.js';
import { SessionProvider } from '../SessionProvider.js';
import {
  useAuthedInfiniteQuery as infinite,
  type UseAuthedInfiniteQuery,
  type UseAuthedInfiniteQueryOptionsFor,
} from '../useAuthedInfiniteQuery.js';
import {
  useAuthedMutation as mutation,
  type UseAuthedMutation,
  type UseAuthedMutationOptionsFor,
} from '../useAuthedMutation.js';
import {
  useAuthedQuery as query,
  type UseAuthedQuery,
  type UseAuthedQueryOptionsFor,
} from '../useAuthedQuery.js';
import {
  useAuthedSuspenseQuery as suspense,
  type UseAuthedSuspenseQuery,
  type UseAuthedSuspenseQueryOptionsFor,
} from '../useAuthedSuspenseQuery.js';

// The React bindings of the root entry: the hooks hand `queryFn` and `mutationFn` the authed
// axios instance (`client.axios`).

/** Props of `<AuthProvider>`. */
export interface AuthProviderProps<TUser = RegisteredUser, TCredentials = LoginCredentials> {
  /** The client from `createAuthClient()`, created once outside of React. */
  client: AuthClient<TUser, TCredentials>;
  children?: ReactNode;
}

/**
 * Makes `client` available to the hooks (their `queryFn` receives `client.axios`), restores the
 * session on mount, and clears the surrounding QueryClient's cache when the user logs out or
 * changes.
 */
export function AuthProvider<TUser = RegisteredUser, TCredentials = LoginCredentials>({
  client,
  children,
}: AuthProviderProps<TUser, TCredentials>) {
  return (
    <SessionProvider client={client} api={client.axios}>
      {children}
    </SessionProvider>
  );
}

/** The `AuthClient` given to the nearest `<AuthProvider>`. Throws outside of one. */
export function useAuthClient<
  TUser = RegisteredUser,
  TCredentials = LoginCredentials,
>(): AuthClient<TUser, TCredentials> {
  return useAuthContext().client as AuthClient<TUser, TCredentials>;
}

/** The authed axios instance (`client.axios`): Bearer token, transparent refresh, retry once. */
export function useApi(): AxiosInstance {
  return useAuthContext().api as AxiosInstance;
}

/** `useAuthedQuery` options; `queryFn` receives the authed axios instance first. */
export type UseAuthedQueryOptions<
  TQueryFnData = unknown,
  TError = Error,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
> = UseAuthedQueryOptionsFor<AxiosInstance, TQueryFnData, TError, TData, TQueryKey>;

/** `useAuthedSuspenseQuery` options; `queryFn` receives the authed axios instance first. */
export type UseAuthedSuspenseQueryOptions<
  TQueryFnData = unknown,
  TError = Error,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
> = UseAuthedSuspenseQueryOptionsFor<AxiosInstance, TQueryFnData, TError, TData, TQueryKey>;

/** `useAuthedInfiniteQuery` options; `queryFn` receives the authed axios instance first. */
export type UseAuthedInfiniteQueryOptions<
  TQueryFnData = unknown,
  TError = Error,
  TData = unknown,
  TQueryKey extends QueryKey = QueryKey,
  TPageParam = unknown,
> = UseAuthedInfiniteQueryOptionsFor<
  AxiosInstance,
  TQueryFnData,
  TError,
  TData,
  TQueryKey,
  TPageParam
>;

/** `useAuthedMutation` options; `mutationFn` receives the authed axios instance first. */
export type UseAuthedMutationOptions<
  TData = unknown,
  TError = Error,
  TVariables = void,
  TContext = unknown,
> = UseAuthedMutationOptionsFor<AxiosInstance, TData, TError, TVariables, TContext>;

/**
 * `useQuery` for authenticated data: disabled until the session is authenticated (it waits for
 * `restore()`), keyed per user, never retrying a `SessionExpiredError`, reading the current token
 * on every attempt. `queryFn` receives `client.axios` first.
 */
export const useAuthedQuery: UseAuthedQuery<AxiosInstance> = query;

/** `useInfiniteQuery` with the same guarantees as `useAuthedQuery`. */
export const useAuthedInfiniteQuery: UseAuthedInfiniteQuery<AxiosInstance> = infinite;

/**
 * `useSuspenseQuery` for authenticated data. It suspends while the session is restored; signed
 * out, it throws `SessionExpiredError` to the nearest error boundary (wrap it in `<AuthGate>`).
 */
export const useAuthedSuspenseQuery: UseAuthedSuspenseQuery<AxiosInstance> = suspense;

/** `useMutation` through `client.axios`; a `SessionExpiredError` is never retried. */
export const useAuthedMutation: UseAuthedMutation<AxiosInstance> = mutation;

/**
 * TanStack query options for authed data outside the hooks (router loaders, cache reads and
 * writes): the key `useAuthedQuery` uses for the client's current user, typed with the data, and
 * a `queryFn` bound to `client.axios`.
 */
export const authedQueryOptions: AuthedQueryOptionsOf<
  Pick<AuthClient<unknown>, 'axios' | 'getState'>,
  AxiosInstance
> = (client, options) => authedQueryOptionsFor(client, client.axios, options);
