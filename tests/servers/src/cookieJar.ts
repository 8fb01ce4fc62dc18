import type { AgentOptions } from 'node:http';
import { HttpCookieAgent } from 'http-cookie-agent/http';
import { CookieJar } from 'tough-cookie';

/**
 * Axios config with a cookie jar, as a Node app plugs one in through `http`. `agent` tunes the
 * connections (a browser opens a few per host and queues the rest: `{ maxSockets: 6 }`).
 */
export function withCookieJar(jar = new CookieJar(), agent: AgentOptions = {}) {
  // http-cookie-agent's types name tough-cookie's CommonJS declarations; the class is the same.
  const cookies = { jar } as unknown as ConstructorParameters<typeof HttpCookieAgent>[0]['cookies'];
  return { jar, http: { httpAgent: new HttpCookieAgent({ ...agent, cookies }) } };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
