import { createFetchClient } from '@tokenlane/react-auth/fetch';
import { oauthServer } from '@tokenlane/react-auth/oauth';

export const provider = oauthServer<{ sub: string; email?: string }>({
  issuer: 'https://id.example.com',
  clientId: 'my-spa',
  redirectUri: `${location.origin}/callback`,
  scope: 'openid email offline_access',
});
export const auth = createFetchClient({ baseURL: 'https://api.example.com', server: provider });

export async function signIn() {
  location.assign(await provider.authorizationUrl());
}

// On /callback:
export async function finishSignIn() {
  await auth.login({ callbackUrl: location.href });
  history.replaceState(null, '', '/');
}
