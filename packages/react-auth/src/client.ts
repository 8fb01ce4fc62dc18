export * from './shared.js';
export { createAuthClient } from './createAuthClient.js';
export { defaultShouldRefresh } from './axios/shouldRefresh.js';
export type { AuthedFetch, TokenlaneRequestInit } from './fetch/authedFetch.js';

export type { AuthClient, AuthClientOptions } from './createAuthClient.js';
