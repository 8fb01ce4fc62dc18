/** The registered claims Tokenlane reads; others stay available by name. */
export interface JwtClaims {
  exp?: number;
  iat?: number;
  sub?: string;
  [claim: string]: unknown;
}

/**
 * Reads a JWT's payload WITHOUT verifying it: for scheduling only, never for trust.
 * Returns `{}` for anything that is not a readable JWT (opaque tokens included).
 */
export function decodeJwt(token: string): JwtClaims {
  try {
    const part = token.split('.')[1] ?? '';
    const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const claims: unknown = JSON.parse(json);
    return claims && typeof claims === 'object' ? (claims as JwtClaims) : {};
  } catch {
    return {};
  }
}
