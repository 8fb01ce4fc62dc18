import fetchCookie from 'fetch-cookie';
import { CookieJar } from 'tough-cookie';
import { signInThroughProvider } from '../oidcProvider.js';

/** A browser as the BFF sees it: a cookie jar, and the page's calls with the custom header. */
export interface TestBrowser {
  jar: CookieJar;
  /** A navigation (no custom header, redirects not followed). */
  navigate(url: string): Promise<Response>;
  /** A call the page makes with `fetch`: the custom header, cookies, JSON. */
  call(url: string, init?: RequestInit): Promise<Response>;
  /** Signs in through the BFF and the provider's login form; resolves with where the BFF sent it. */
  signIn(origin: string, query?: string): Promise<string>;
}

export function testBrowser(): TestBrowser {
  const jar = new CookieJar();
  const send = fetchCookie(fetch, jar);
  const navigate = (url: string) => send(url, { redirect: 'manual' });
  return {
    jar,
    navigate,
    call: (url, init = {}) =>
      send(url, {
        ...init,
        headers: {
          'X-Requested-With': 'XMLHttpRequest',
          ...(init.headers as Record<string, string>),
        },
      }),
    async signIn(origin, query = '') {
      const start = await navigate(`${origin}/bff/login${query}`);
      if (start.status !== 303)
        throw new Error(`login answered ${start.status}: ${await start.text()}`);
      const back = await signInThroughProvider(
        new URL(start.headers.get('location')!),
        `${origin}/bff/callback`,
      );
      const done = await navigate(back);
      // The callback's landing page moves on (same-site) by a meta refresh: where to.
      const landing = /http-equiv="refresh" content="0;url=([^"]*)"/.exec(await done.text());
      if (done.status !== 200 || !landing)
        throw new Error(`callback answered ${done.status} with no landing page`);
      return landing[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(+code));
    },
  };
}
