/**
 * Where the session keeps a refresh token handed in the body (`refreshToken: 'body'` profiles)
 * beyond memory, so that a reload can restore the session: `localStorage` and `sessionStorage`
 * fit as they are, and so does an async store such as React Native's AsyncStorage. Anything a
 * script on the page can read, an XSS can read too; the cookie model does not have that exposure.
 */
export interface TokenStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}
