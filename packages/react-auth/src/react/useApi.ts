import type { LoginCredentials, RegisteredUser } from '@tokenlane/core';
import { useAuthContext } from './AuthContext.js';
import type { ReactAuthClient } from './AuthProvider.js';
import type { RegisteredApi } from './registeredApi.js';

/** The client given to the nearest `<AuthProvider>`. Throws `AuthUsageError` outside of one. */
export function useAuthClient<
  TUser = RegisteredUser,
  TCredentials = LoginCredentials,
>(): ReactAuthClient<TUser, TCredentials> {
  return useAuthContext().client as unknown as ReactAuthClient<TUser, TCredentials>;
}

/** The client's `api`: the authed axios instance or `fetch` (Bearer token, transparent refresh). */
export function useApi(): RegisteredApi {
  return useAuthContext().api as RegisteredApi;
}
