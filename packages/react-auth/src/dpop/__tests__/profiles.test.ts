import { describe, expect, it } from 'vitest';
import { createAuthClient } from '../../createAuthClient.js';
import { AuthError } from '../../core/errors.js';
import { createFetchClient } from '../../fetch/createFetchClient.js';
import { oauthServer } from '../../oauth/oauthServer.js';
import { dpop, memoryKeyStore } from '../../dpop.js';

const provider = () =>
  oauthServer({
    issuer: 'https://id.example.test',
    clientId: 'spa',
    redirectUri: 'https://app.example.test/callback',
    endpoints: {
      authorization_endpoint: 'https://id.example.test/authorize',
      token_endpoint: 'https://id.example.test/token',
    },
  });

describe('DPoP with a server profile whose calls bypass the client', () => {
  it.each([
    ['createFetchClient', createFetchClient],
    ['createAuthClient', createAuthClient],
  ] as const)(
    '%s refuses it with dpop_unsupported instead of sending unbound token calls',
    (_name, create) => {
      const make = () =>
        create({ server: provider(), crossTab: false, dpop: dpop({ keys: memoryKeyStore() }) });
      expect(make).toThrow(AuthError);
      expect(make).toThrow(expect.objectContaining({ code: 'dpop_unsupported' }) as Error);
    },
  );
});
