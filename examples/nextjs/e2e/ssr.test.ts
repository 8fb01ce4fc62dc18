import { expect, it } from 'vitest';
import { signInAtProvider } from '@tokenlane/test-servers/chromium';
import { describeSsrAcceptance, SIGNED_IN_USER } from '@tokenlane/test-servers/ssrAcceptance';
import { nextApp } from './app.js';

// Issue 34's acceptance for Next.js, the App Router (see `describeSsrAcceptance`). Each page load
// runs proxy.ts, the root layout and 20 server components calling the API in parallel; each tab
// also calls a route handler while its page loads, and a server action once hydrated.
const { world } = describeSsrAcceptance({
  name: 'Next.js example',
  app: nextApp,
  callTestId: 'api-user',
  calls: 20,
  // proxy.ts sends the signed-out home page to the provider's sign-in at once.
  signIn: (page) => signInAtProvider(page),
  async whileLoading(tabs, origin) {
    const answers = await Promise.all(tabs.map(({ page }) => page.request.get(`${origin}/user`)));
    for (const answer of answers) {
      expect(await answer.json()).toEqual({ apiUser: SIGNED_IN_USER });
      const cookies = answer.headersArray().filter(({ name }) => /^set-cookie$/i.test(name));
      expect(cookies.length).toBeLessThanOrEqual(1);
    }
  },
  askButton: /server action/,
});

it('proxy.ts sends a request with no session to sign in', async () => {
  const answer = await fetch(world().origin, { redirect: 'manual' });
  expect(answer.status).toBe(307);
  expect(answer.headers.get('location')).toBe('/bff/login?returnTo=%2F');
});
