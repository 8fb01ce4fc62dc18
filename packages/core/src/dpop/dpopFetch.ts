import { originOf, type DpopProver } from './prover.js';

/** Waits for a nonce probe in flight to `origin`; resolves with what ends this request's own probe. */
export type NonceProbes = (origin: string) => Promise<() => void>;

/** Whether an answer asks for the server's nonce (RFC 9449 §8): 401 from a resource, 400 from an auth call. */
async function asksForNonce(response: Response): Promise<boolean> {
  if (!response.headers.has('dpop-nonce')) return false;
  if (response.status === 401) {
    return /use_dpop_nonce/.test(response.headers.get('www-authenticate') ?? '');
  }
  if (response.status !== 400) return false;
  const body = (await response
    .clone()
    .json()
    .catch(() => ({}))) as { error?: unknown };
  return body.error === 'use_dpop_nonce';
}

/**
 * One request at a time per origin whose nonce may be stale: it goes first, and the others wait
 * for its answer (which brings the current nonce) instead of each being refused and sent again.
 */
export function createNonceProbes(prover: DpopProver): NonceProbes {
  const probes = new Map<string, Promise<void>>();
  return async (origin) => {
    for (let running = probes.get(origin); running; running = probes.get(origin)) await running;
    if (!prover.isStale(origin)) return () => {};
    let resolve = () => {};
    const running = new Promise<void>((done) => (resolve = done));
    probes.set(origin, running);
    // Ends once, whoever calls it again (an answer, then its retry's answer).
    return () => {
      if (probes.get(origin) === running) probes.delete(origin);
      resolve();
    };
  };
}

/**
 * `fetch` with DPoP: a proof on each auth call (`isAuthEndpoint`) and each request sent with the
 * `DPoP` scheme (carrying the token's hash), signed at send time; the nonce of every answer is
 * remembered per origin; an answer that asks for a nonce is sent once more with a new proof and
 * the very same body (a `Request` is cloned before its first send; a `ReadableStream` body is not
 * sent twice). After a quiet spell, the first request to an origin goes alone (see
 * `createNonceProbes`). Anything else passes through untouched.
 */
export function createDpopFetch(
  prover: DpopProver,
  probe: NonceProbes,
  underlying: () => typeof fetch,
  isAuthEndpoint: (url: string) => boolean,
): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? new Request(input, init) : undefined;
    const url = request?.url ?? (input instanceof URL ? input.href : (input as string));
    const headers = new Headers(request?.headers ?? init?.headers);
    const token = /^DPoP +(\S+)$/i.exec(headers.get('authorization') ?? '')?.[1];
    // Passed on as built: building it took the body out of `input`.
    if (token === undefined && !isAuthEndpoint(url)) {
      return request ? underlying()(request) : underlying()(input, init);
    }
    const method = request?.method ?? init?.method ?? 'GET';
    const replayable =
      typeof ReadableStream === 'undefined' || !(init?.body instanceof ReadableStream);
    // Kept for a second send, before the first one consumes the body.
    const spare = request?.body ? request.clone() : request;

    const send = async (from: Request | undefined) => {
      headers.set('DPoP', await prover.proof(method, url, token));
      const response = from
        ? await underlying()(new Request(from, { headers }))
        : await underlying()(url, { ...init, headers });
      prover.observe(url, response.headers.get('dpop-nonce'));
      return response;
    };
    const endProbe = await probe(originOf(url));
    try {
      const first = await send(request);
      if (!replayable || !(await asksForNonce(first))) return first;
      void first.body?.cancel().catch(() => undefined);
      return await send(spare);
    } finally {
      endProbe();
    }
  };
}
