// @tokenlane/react-auth/client: the axios client without React (a convenience: every name here
// is also the root's).
export * from '@tokenlane/core';
export { createAuthClient } from './createAuthClient.js';
export { defaultShouldRefresh } from './axios/shouldRefresh.js';

export type { AuthClient, AuthClientOptions } from './createAuthClient.js';
