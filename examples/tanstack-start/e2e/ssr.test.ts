import { signInAtProvider } from '@tokenlane/test-servers/chromium';
import { describeSsrAcceptance } from '@tokenlane/test-servers/ssrAcceptance';
import { tanstackStartApp } from './app.js';

// Issue 34's acceptance for TanStack Start, 1.169 on Node 20 (see `describeSsrAcceptance`). Each
// render runs the request middleware, the root's server function and ten server functions in
// parallel, each calling the API.
describeSsrAcceptance({
  name: 'TanStack Start example',
  app: tanstackStartApp,
  callTestId: 'api-user',
  calls: 10,
  askButton: /server function/,
  async signIn(page) {
    await page.getByTestId('login').click();
    await signInAtProvider(page);
  },
});
