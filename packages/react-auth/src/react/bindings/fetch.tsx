import type { ReactNode } from 'react';
import type { LoginCredentials, RegisteredUser } from '../../core/types.js';
import type { AuthedFetch } from '../../fetch/authedFetch.js';
import type { FetchClient } from '../../fetch/createFetchClient.js';
import { useAuthContext } from '../AuthContext.js';
import { authedQueryOptionsFor, type AuthedQueryOptionsOf } from '../authedQueryOptions.js';
import { SessionProvider } from '../SessionProvider.js';
import {
  useAuthedInfiniteQuery as infinite,
  type UseAuthedInfiniteQuery,
} from '../useAuthedInfiniteQuery.js';
import { useAuthedMutation as mutation, type UseAuthedMutation } from '../useAuthedMutation.js';
import { useAuthedQuery as query, type UseAuthedQuery } from '../useAuthedQuery.js';
import {
  useAuthedSuspenseQuery as suspense,
  type UseAuthedSuspenseQuery,
} from '../useAuthedSuspenseQuery.js';

// The React bindings of the `./fetch` entry: the same hooks as the root entry's, handing
// `queryFn` and `mutationFn` the authed `fetch` (`client.fetch`). No axios, not even its types.

type Fetch = AuthedFetch;

/** Props of the fetch entry's `<AuthProvider>`. */
export interface FetchAuthProviderProps<TUser = RegisteredUser, TCredentials = LoginCredentials> {
  /** The client from `createFetchClient()` (an axios client belongs to the root entry's provider). */
  client: FetchClient<TUser, TCredentials> & { readonly axios?: never };
  children?: ReactNode;
}

/** `<AuthProvider>` for a fetch client: the hooks' `queryFn` receives `client.fetch`. */
export function AuthProvider<TUser = RegisteredUser, TCredentials = LoginCredentials>({
  client,
  children,
}: FetchAuthProviderProps<TUser, TCredentials>) {
  return (
    <SessionProvider client={client} api={client.fetch}>
      {children}
    </SessionProvider>
  );
}

/** The `FetchClient` given to the nearest `<AuthProvider>`. Throws outside of one. */
export function useAuthClient<
  TUser = RegisteredUser,
  TCredentials = LoginCredentials,
>(): FetchClient<TUser, TCredentials> {
  return useAuthContext().client as FetchClient<TUser, TCredentials>;
}

/** The authed `fetch` (`client.fetch`). */
export function useApi(): Fetch {
  return useAuthContext().api as Fetch;
}

/** `useAuthedQuery` whose `queryFn` receives `client.fetch` first. */
export const useAuthedQuery: UseAuthedQuery<Fetch> = query;

/** `useAuthedInfiniteQuery` whose `queryFn` receives `client.fetch` first. */
export const useAuthedInfiniteQuery: UseAuthedInfiniteQuery<Fetch> = infinite;

/** `useAuthedSuspenseQuery` whose `queryFn` receives `client.fetch` first. */
export const useAuthedSuspenseQuery: UseAuthedSuspenseQuery<Fetch> = suspense;

/** `useAuthedMutation` whose `mutationFn` receives `client.fetch` first. */
export const useAuthedMutation: UseAuthedMutation<Fetch> = mutation;

/** `authedQueryOptions` with a `queryFn` bound to `client.fetch`. */
export const authedQueryOptions: AuthedQueryOptionsOf<
  Pick<FetchClient<unknown>, 'fetch' | 'getState'>,
  Fetch
> = (client, options) => authedQueryOptionsFor(client, client.fetch, options);
