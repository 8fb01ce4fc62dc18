import { problem } from './answers.js';

/** The static custom header of every state-changing and proxied call (the API's rule). */
export const CUSTOM_HEADER = 'x-requested-with';

/**
 * The BCP's CSRF rule for calls a page makes with `fetch`: the custom header (a cross-site page
 * cannot send it without a CORS preflight, which the BFF never grants), and no `Origin` or
 * `Sec-Fetch-Site` saying the call came from another site. A refusal answer, or `undefined`.
 */
export function refuseCrossSite(request: Request, origin: string): Response | undefined {
  if (!request.headers.get(CUSTOM_HEADER)) {
    return problem(403, 'csrf', `The ${CUSTOM_HEADER} header is required`);
  }
  const from = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  if ((from && from !== origin) || (site && site !== 'same-origin' && site !== 'none')) {
    return problem(403, 'csrf', 'Cross-site requests are not allowed');
  }
  return undefined;
}

/** A fixed-window limit per key (client address), in one BFF instance's memory. */
export class RateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Counts a request of `key`; the seconds to wait if it is over the limit, else `undefined`. */
  take(key: string): number | undefined {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count <= this.limit) return undefined;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }

  private sweep(now: number) {
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(key);
    }
  }
}

/** The 429 answer of a rate limit. */
export const tooMany = (retryAfterSeconds: number): Response =>
  problem(429, 'rate_limited', 'Too many requests', [['Retry-After', String(retryAfterSeconds)]]);
