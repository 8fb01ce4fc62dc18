export { createFetchClient } from './src/fetch.ts';
