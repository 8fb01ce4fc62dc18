import { createServer, type RequestListener, type Server } from 'node:http';
import type { Config } from './config.js';

/**
 * An HTTP server with timeouts suited to an auth API, whose requests are small and quick: a client
 * that trickles its headers or body holds a connection for seconds, not Node's default 300 s.
 */
export function createHttpServer(
  config: Pick<Config, 'requestTimeoutSeconds'>,
  listener: RequestListener,
): Server {
  const requestTimeout = config.requestTimeoutSeconds * 1000;
  return createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 10_000),
      keepAliveTimeout: 5_000,
      // How often Node checks those timeouts (default 30 s).
      connectionsCheckingInterval: Math.min(1_000, requestTimeout),
    },
    listener,
  );
}
