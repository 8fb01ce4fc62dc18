export { createFetchClient } from './fetch/createFetchClient.js';
export { defaultShouldRefreshResponse } from './fetch/authedFetch.js';
export {
  AuthError,
  AuthRequestError,
  RefreshFailedError,
  SessionExpiredError,
} from './core/errors.js';

export type { FetchClient, FetchClientOptions } from './fetch/createFetchClient.js';
