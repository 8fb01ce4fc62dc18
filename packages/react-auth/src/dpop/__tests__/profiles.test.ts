import { describe, expect, it } from 'vitest';
import { createAuthClient } from '../../createAuthClient.js';
import { AuthError, createFetchClient } from '@tokenlane/core';
import { oauthDpop } from '@tokenlane/core/oauth';
import { oauthServer } from '@tokenlane/core/oauth';
import { createTestServer } from '../../testing/createTestServer.js';
import { dpop, memoryKeyStore } from '@tokenlane/core/dpop';

const provider = (proofs?: typeof oauthDpop) =>
  oauthServer({
    ...(proofs && { dpop: proofs }),
    issuer: 'https://id.example.test',
    clientId: 'spa',
    redirectUri: 'https://app.example.test/callback',
    endpoints: {
      authorization_endpoint: 'https://id.example.test/authorize',
      token_endpoint: 'https://id.example.test/token',
    },
  });

const factories = [
  ['createFetchClient', createFetchClient],
  ['createAuthClient', createAuthClient],
] as const;

describe('DPoP and server profiles whose calls bypass the client', () => {
  it.each(factories)(
    '%s refuses a profile whose calls sign no proofs (dpop_unsupported), rather than send unbound token calls',
    (_name, create) => {
      const make = () =>
        create({
          server: createTestServer({ user: null, handler: () => new Response() }).clientOptions
            .server!,
          crossTab: false,
          dpop: dpop({ keys: memoryKeyStore() }),
        });
      expect(make).toThrow(AuthError);
      expect(make).toThrow(expect.objectContaining({ code: 'dpop_unsupported' }) as Error);
    },
  );

  it.each(factories)(
    '%s refuses oauthServer without its dpop option, and says what to pass',
    (_name, create) => {
      const make = () =>
        create({ server: provider(), crossTab: false, dpop: dpop({ keys: memoryKeyStore() }) });
      expect(make).toThrow(
        expect.objectContaining({
          code: 'dpop_unsupported',
          message: expect.stringContaining('dpop: oauthDpop') as unknown,
        }) as Error,
      );
    },
  );

  it.each(factories)(
    '%s takes oauthServer with oauthDpop, which signs its own proofs',
    (_name, create) => {
      const clients: Array<{ dispose(): void }> = [];
      const make = () =>
        clients.push(
          create({
            server: provider(oauthDpop),
            crossTab: false,
            dpop: dpop({ keys: memoryKeyStore() }),
          }),
        );
      expect(make).not.toThrow();
      clients.forEach((client) => client.dispose());
    },
  );
});
