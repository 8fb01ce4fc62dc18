import type { NonceProbes } from './dpopFetch.js';
import { originOf, type DpopProver } from './prover.js';

/** A request config as DPoP reads and marks it (axios's `InternalAxiosRequestConfig`). */
export interface AxiosConfigLike {
  method?: string | undefined;
  headers: { get(name: string): unknown; set(name: string, value: string): unknown };
  /** Set by DPoP on a request it handles: the end of its nonce probe, and whether it was sent again. */
  tokenlaneDpop?: { end: () => void; retried?: boolean };
}

/** The part of an answer DPoP reads (axios's `AxiosResponse`). */
export interface AxiosResponseLike {
  status: number;
  headers: unknown;
  data?: unknown;
  config?: AxiosConfigLike;
}

/**
 * The part of an axios instance DPoP uses, by shape: the `./dpop` entry does not import axios, so
 * an app on fetch needs no axios to use it.
 */
export interface AxiosLike {
  interceptors: {
    request: {
      use(onFulfilled: (config: AxiosConfigLike) => Promise<AxiosConfigLike>): number;
      eject(id: number): void;
    };
    response: {
      use(
        onFulfilled: (response: AxiosResponseLike) => AxiosResponseLike,
        onRejected: (error: unknown) => unknown,
      ): number;
      eject(id: number): void;
    };
  };
  request(config: AxiosConfigLike): Promise<unknown>;
  getUri(config?: AxiosConfigLike): string;
}

const header = (headers: unknown, name: string): string | undefined => {
  const value = (headers as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

/** Whether an answer asks for the server's nonce: 401 with `use_dpop_nonce`, or 400 from an auth call. */
const asksForNonce = ({ status, headers, data }: AxiosResponseLike) =>
  header(headers, 'dpop-nonce') !== undefined &&
  ((status === 401 && /use_dpop_nonce/.test(header(headers, 'www-authenticate') ?? '')) ||
    (status === 400 && (data as { error?: unknown } | undefined)?.error === 'use_dpop_nonce'));

/**
 * DPoP on an axios instance, as `createDpopFetch` does on `fetch`: a proof on auth calls and on
 * requests sent with the `DPoP` scheme, nonces remembered, one retry when a nonce is asked for
 * (axios serialises `data` again), and the first request after a quiet spell going alone. Attach
 * it before the session's interceptors: axios runs request interceptors last-attached first, so
 * the proof is made after the session set the token. Returns a function that detaches it.
 */
export function attachDpopToAxios(
  instance: AxiosLike,
  prover: DpopProver,
  probe: NonceProbes,
  isAuthEndpoint: (url: string) => boolean,
): () => void {
  const settle = (config: AxiosConfigLike | undefined, url: string, headers: unknown) => {
    prover.observe(url, header(headers, 'dpop-nonce') ?? null);
    config?.tokenlaneDpop?.end();
  };
  const request = instance.interceptors.request.use(async (config) => {
    const url = instance.getUri(config);
    const authorization = config.headers.get('Authorization');
    const token =
      typeof authorization === 'string' ? /^DPoP +(\S+)$/i.exec(authorization)?.[1] : undefined;
    if (token === undefined && !isAuthEndpoint(url)) return config;
    const end = await probe(originOf(url));
    config.tokenlaneDpop = { ...config.tokenlaneDpop, end };
    try {
      config.headers.set('DPoP', await prover.proof(config.method ?? 'GET', url, token));
    } catch (error) {
      end();
      throw error;
    }
    return config;
  });
  const response = instance.interceptors.response.use(
    (answer) => {
      if (answer.config?.tokenlaneDpop)
        settle(answer.config, instance.getUri(answer.config), answer.headers);
      return answer;
    },
    (error: unknown) => {
      const { config, response: answer } = error as {
        config?: AxiosConfigLike;
        response?: AxiosResponseLike;
      };
      if (!config?.tokenlaneDpop) throw error;
      settle(config, instance.getUri(config), answer?.headers);
      if (!answer || config.tokenlaneDpop.retried || !asksForNonce(answer)) throw error;
      config.tokenlaneDpop.retried = true;
      return instance.request(config);
    },
  );
  return () => {
    instance.interceptors.request.eject(request);
    instance.interceptors.response.eject(response);
  };
}
