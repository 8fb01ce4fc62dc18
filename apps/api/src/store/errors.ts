/** A store's backend cannot be reached (Redis down): the request may succeed later. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** The user already has as many todos as the quota allows. */
export class QuotaExceededError extends Error {
  override name = 'QuotaExceededError';
}

/** A list cursor that this store never handed out. */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

/** The account a verified token names does not exist (any more): the token must not be used. */
export class UnknownUserError extends Error {
  override name = 'UnknownUserError';
}
