// @tokenlane/react-auth: the React bindings (one <AuthProvider>, one hook set for every
// transport) and the axios client, the default for React apps. Everything of @tokenlane/core is
// re-exported, as @tanstack/react-query re-exports query-core, so a React app has one import.
export * from '@tokenlane/core';
export * from './react/index.js';
export { createAuthClient } from './createAuthClient.js';
export { defaultShouldRefresh } from './axios/shouldRefresh.js';

export type { AuthClient, AuthClientOptions } from './createAuthClient.js';
