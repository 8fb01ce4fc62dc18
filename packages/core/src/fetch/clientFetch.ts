import { portOf } from '../session/devHandle.js';
import type { Session } from '../session/types.js';
import { wiringOf } from '../wireSession.js';
import type { AuthedFetch } from './authedFetch.js';
import { wiredFetch } from './wiredFetch.js';

const made = new WeakMap<object, AuthedFetch>();

/**
 * `fetch` on a client's session, for an axios client (`createAuthClient`) whose app also calls
 * `fetch`-based code (ky, ofetch, an SDK that takes a `fetch`): the Bearer token, one refresh
 * shared with `client.axios`, one retry per request with the same body, as `client.fetch` of a
 * `FetchClient` (which is what it returns for one). One per client, made on the first call: an app
 * that never imports it does not ship the fetch adapter.
 */
export function authedFetch<TUser, TCredentials>(
  client: Session<TUser, TCredentials>,
): AuthedFetch {
  const own = (client as { fetch?: unknown }).fetch;
  if (typeof own === 'function') return own as AuthedFetch;
  let fetch = made.get(client);
  if (!fetch) {
    fetch = wiredFetch(wiringOf(portOf(client)));
    made.set(client, fetch);
  }
  return fetch;
}
