import { signInAtProvider } from '@tokenlane/test-servers/chromium';
import { describeSsrAcceptance } from '@tokenlane/test-servers/ssrAcceptance';
import { reactRouterApp } from './app.js';

// Issue 34's acceptance for React Router in framework mode (see `describeSsrAcceptance`). Each
// render runs the root's middleware and nine loaders in parallel (the root's and eight nested
// layouts'), each asking for the token; eight of them show the API's answer.
describeSsrAcceptance({
  name: 'React Router example',
  app: reactRouterApp,
  callTestId: 'level-user',
  calls: 8,
  askButton: /from an action/,
  async signIn(page) {
    await page.getByTestId('login').click();
    await signInAtProvider(page);
  },
});
