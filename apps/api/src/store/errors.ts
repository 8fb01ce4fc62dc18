/** A store's backend cannot be reached (Redis down): the request may succeed later. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}
