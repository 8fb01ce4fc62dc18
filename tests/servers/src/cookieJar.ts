import { HttpCookieAgent } from 'http-cookie-agent/http';
import { CookieJar } from 'tough-cookie';

/** Axios config with a cookie jar, as a Node app plugs one in through `http`. */
export function withCookieJar(jar = new CookieJar()) {
  // http-cookie-agent's types name tough-cookie's CommonJS declarations; the class is the same.
  const cookies = { jar } as unknown as ConstructorParameters<typeof HttpCookieAgent>[0]['cookies'];
  return { jar, http: { httpAgent: new HttpCookieAgent({ cookies }) } };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
