/** The session cookie: `__Host-` so that only this origin, over HTTPS, with `Path=/`, can set it. */
export const SESSION_COOKIE = '__Host-tokenlane';

/**
 * A login in progress: `SameSite=Lax`, as the provider sends the browser back by a cross-site
 * navigation (a `Strict` cookie would not come with it). It holds only the login's `state`.
 */
export const LOGIN_COOKIE = '__Host-tokenlane-login';

/** The value of cookie `name` in a request's headers; `undefined` if absent or sent more than once. */
export function readCookie(headers: Headers, name: string): string | undefined {
  const values = (headers.get('cookie') ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair.startsWith(`${name}=`))
    .map((pair) => pair.slice(name.length + 1));
  return values.length === 1 && values[0] ? values[0] : undefined;
}

/** `Set-Cookie` for the session: `Secure; HttpOnly; SameSite=Strict; Path=/`, no `Domain`. */
export const sessionCookie = (sessionId: string, maxAgeSeconds: number): string =>
  `${SESSION_COOKIE}=${sessionId}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`;

/** `Set-Cookie` that removes the session cookie (same attributes, `Max-Age=0`). */
export const clearedSessionCookie = (): string =>
  `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0`;

/** `Set-Cookie` for a login in progress (ten minutes). */
export const loginCookie = (state: string): string =>
  `${LOGIN_COOKIE}=${state}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=600`;

export const clearedLoginCookie = (): string =>
  `${LOGIN_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0`;
