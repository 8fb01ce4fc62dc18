import type { AuthedFetch, Register } from '@tokenlane/core';

/**
 * The request function of each client the app imports, by transport: `fetch` always; the axios
 * client (`createAuthClient`) adds `axios` when its module is part of the app. It sets the
 * default of `RegisteredApi`; an app never writes to it.
 */
export interface TransportApis {
  fetch: AuthedFetch;
}

/**
 * The request function the hooks hand `queryFn` and `mutationFn` first, and `useApi()` returns:
 * the client's `api`. It is `Register['api']` when the app registers one; else the axios
 * instance when the app imports the axios client (`createAuthClient`), else the authed `fetch`.
 * @example
 * ```ts
 * import type { AuthedFetch } from '@tokenlane/react-auth';
 *
 * // An app that imports createAuthClient somewhere but hands its hooks the fetch client.
 * declare module '@tokenlane/react-auth' {
 *   interface Register {
 *     api: AuthedFetch;
 *   }
 * }
 * ```
 */
export type RegisteredApi = Register extends { api: infer TApi }
  ? TApi
  : TransportApis extends { axios: infer TAxios }
    ? TAxios
    : AuthedFetch;
