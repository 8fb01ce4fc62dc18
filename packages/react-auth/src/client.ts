export * from './shared.js';
export { createAuthClient } from './createAuthClient.js';
export { defaultShouldRefresh } from './axios/shouldRefresh.js';
export { defaultShouldRefreshResponse } from './fetch/authedFetch.js';
export { authedFetch } from './fetch/clientFetch.js';
export type { AuthedFetch, TokenlaneRequestInit } from './fetch/authedFetch.js';

export type { AuthClient, AuthClientOptions } from './createAuthClient.js';
