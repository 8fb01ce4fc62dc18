// @tokenlane/react-auth/fetch: the root entry without the axios client, for React apps that do
// not install axios (a convenience: every name here is also the root's). Register
// `api: AuthedFetch` to type the hooks' `api` as the client's fetch.
export * from '@tokenlane/core';
export * from './react/index.js';
