import { createFetchClient } from '@tokenlane/react-auth/fetch';
import { dpop } from '@tokenlane/react-auth/dpop';
import { oauthDpop, oauthServer } from '@tokenlane/react-auth/oauth';

const provider = oauthServer({
  issuer: 'https://id.example.com',
  clientId: 'my-spa',
  redirectUri: `${location.origin}/callback`,
  dpop: oauthDpop,
});
export const oauthClient = createFetchClient({
  baseURL: 'https://api.example.com',
  server: provider,
  dpop: dpop(),
});
