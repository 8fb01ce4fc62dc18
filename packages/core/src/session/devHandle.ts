import { AuthUsageError } from './errors.js';
import type { SessionPort } from './port.js';

// What developer tools (and tests, and demos) may reach beyond the public client: kept out of
// the client's own members so that its API stays what applications use.
const ports = new WeakMap<object, SessionPort>();

/** Remembers the port behind `client` (the client factories call this). */
export function registerPort(client: object, port: SessionPort): void {
  ports.set(client, port);
}

/** The port behind a client made by `createAuthClient` or `createFetchClient`. */
export function portOf(client: object): SessionPort {
  const port = ports.get(client);
  if (!port) {
    throw new AuthUsageError(
      'not_a_client',
      'Not a client made by createAuthClient or createFetchClient',
    );
  }
  return port;
}
