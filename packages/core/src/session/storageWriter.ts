import type { TokenStorage } from './tokenStorage.js';

/**
 * Writes each change of a body refresh token to `storage` under `key` (removed on `null`). Storage
 * is best effort: the session lives in memory either way.
 */
export const createStorageWriter =
  (storage: TokenStorage | undefined, key: string) => (refreshToken: string | null) => {
    const write = () =>
      refreshToken === null ? storage?.removeItem(key) : storage?.setItem(key, refreshToken);
    void Promise.resolve()
      .then(write)
      .catch(() => undefined);
  };
