/** A store's backend cannot be reached (Redis down): the request may succeed later. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** The account a verified token names does not exist (any more): the token must not be used. */
export class UnknownUserError extends Error {
  override name = 'UnknownUserError';
}
