export * from './shared.js';
export { createFetchClient } from './fetch/createFetchClient.js';
export { authedFetch } from './fetch/clientFetch.js';
export { defaultShouldRefreshResponse } from './fetch/authedFetch.js';
export type { AuthedFetch, TokenlaneRequestInit } from './fetch/authedFetch.js';

export type { FetchClient, FetchClientOptions } from './fetch/createFetchClient.js';

export * from './react/shared.js';
export * from './react/bindings/fetch.js';
