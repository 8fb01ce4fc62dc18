import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBffServer } from '@tokenlane/bff-server';
import { startOidcProvider, type OidcServer } from '@tokenlane/test-servers/oidc';

/** The BFF's confidential client at oidc-provider (`upstream: 'oidc'`). */
export const BFF_OIDC_CLIENT = {
  id: 'tokenlane-demo-bff',
  secret: 'a-long-client-secret-for-the-demo-bff-0123456789',
};

/** The demo's BFF for a test, in this process; see `startBff`. */
export interface RunningBff {
  url: string;
  /** Its sealing key (the test opens the store to learn which tokens must never reach the page). */
  keys: string;
  /** The SQLite file of its sessions. */
  databasePath: string;
  /** With `upstream: 'oidc'`: the provider (rotation with no reuse grace, back-channel logout). */
  provider?: OidcServer;
  close(): Promise<void>;
}

/**
 * apps/bff on a free loopback port for the page at `origin`: on the API at `apiUrl`, or
 * (`upstream: 'oidc'`) on an oidc-provider of its own, its userinfo endpoint behind `/bff-api`.
 */
export async function startBff(
  apiUrl: string,
  origin: string,
  { upstream = 'tokenlane', accessTokenTtlSeconds = 3 }: BffUpstreamOptions = {},
): Promise<RunningBff> {
  const provider =
    upstream === 'oidc'
      ? await startOidcProvider({
          accessTokenTtlSeconds,
          clients: [
            {
              client_id: BFF_OIDC_CLIENT.id,
              client_secret: BFF_OIDC_CLIENT.secret,
              redirect_uris: [`${origin}/bff/callback`],
              grant_types: ['authorization_code', 'refresh_token'],
              response_types: ['code'],
              // Through the demo's server, which passes /bff/ on to the BFF.
              backchannel_logout_uri: `${origin.replace('localhost', '127.0.0.1')}/bff/backchannel-logout`,
              backchannel_logout_session_required: true,
            },
          ],
        })
      : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'tokenlane-bff-e2e-'));
  const keys = randomBytes(32).toString('base64url');
  const databasePath = join(dir, 'bff.sqlite');
  const { server, bff } = await createBffServer({
    port: 0,
    host: '127.0.0.1',
    origin,
    upstream,
    apiUrl,
    proxyTarget: provider ? `${provider.issuer}/me` : `${apiUrl}/api`,
    oidc: {
      issuer: provider?.issuer ?? '',
      clientId: BFF_OIDC_CLIENT.id,
      clientSecret: BFF_OIDC_CLIENT.secret,
    },
    store: 'sqlite',
    sqlitePath: databasePath,
    redisUrl: undefined,
    databaseUrl: undefined,
    keys,
    idleTimeoutSeconds: 1800,
    absoluteTimeoutSeconds: 43_200,
    // The e2e API's access tokens live 3 s.
    refreshLeewaySeconds: 1,
    proxyRateLimit: 1200,
    loginRateLimit: 10,
    upstreamTimeoutSeconds: 15,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    keys,
    databasePath,
    ...(provider && { provider }),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await bff.close();
      await provider?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Which upstream the demo's BFF signs in with; see `startBff`. */
export interface BffUpstreamOptions {
  /** @default 'tokenlane' */
  upstream?: 'tokenlane' | 'oidc';
  /** The provider's access-token lifetime (`oidc`). @default 3 */
  accessTokenTtlSeconds?: number;
}
