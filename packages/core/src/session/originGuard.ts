// Stands in for the page's origin where there is no page (Node, SSR): relative URLs match it.
const NO_PAGE = 'http://tokenlane.invalid/';

/** The page's address, or the stand-in where there is no page. */
export const pageHref = () => (typeof location === 'undefined' ? NO_PAGE : location.href);

/** The origin of `url` resolved against the page (or a stand-in where there is no page). */
export const originOf = (url: string): string | undefined => {
  try {
    return new URL(url, pageHref()).origin;
  } catch {
    return undefined;
  }
};

/** Whether a URL names its own origin (a scheme, or `//host`). */
export const ABSOLUTE = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/**
 * Whether a request may carry the Bearer token: only to `baseURL`'s origin (the page's origin for
 * a relative `baseURL`) and to the origins listed in `allowedOrigins`.
 */
export function createOriginGuard(
  baseURL: string | undefined,
  allowedOrigins: readonly string[] = [],
): (request: { url?: string | undefined; baseURL?: string | undefined }) => boolean {
  const allowed = new Set([originOf(baseURL ?? '/'), ...allowedOrigins.map(originOf)]);
  // Relative URLs take their origin from the request's baseURL: decided once per baseURL.
  const byBase = new Map<string, boolean>();
  return ({ url = '', baseURL: base = '/' }) => {
    if (ABSOLUTE.test(url)) return allowed.has(originOf(url));
    let verdict = byBase.get(base);
    if (verdict === undefined) byBase.set(base, (verdict = allowed.has(originOf(base))));
    return verdict;
  };
}
