import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClientMetadata } from 'oidc-provider';
import { startResourceServer, type ResourceServer } from '@tokenlane/test-servers/bff';
import { startOidcProvider, type OidcServer } from '@tokenlane/test-servers/oidc';
import { startRoundRobin, type RoundRobin } from '@tokenlane/test-servers/roundRobin';
import { createBff, type Bff, type BffOptions } from '../../createBff.js';
import { toNodeHandler } from '../../nodeHandler.js';
import type { SessionStore } from '../../store/types.js';
import { oidcUpstream, type ClientAuthentication } from '../../upstream/oidcUpstream.js';
import { proxyWebSockets } from '../../webSockets.js';

export const BFF_CLIENT_ID = 'tokenlane-bff';
export const BFF_CLIENT_SECRET = 'a-long-client-secret-for-the-tests-0123456789';
export const TEST_KEYS = randomBytes(32).toString('base64url');

/** Options of `startBffStack`. */
export interface BffStackOptions {
  /** How many BFF instances behind the balancer. @default 1 */
  instances?: number;
  /** A new store for each instance (several instances must share one behind it). */
  store: () => SessionStore;
  /** Seconds. @default 30 */
  accessTokenTtlSeconds?: number;
  /** How the BFF authenticates to the provider. @default the client secret */
  client?: ClientAuthentication;
  /** The provider's registration of the BFF's client (its `jwks` for `private_key_jwt`). */
  clientMetadata?: Partial<ClientMetadata>;
  /** More BFF options. */
  bff?: Partial<BffOptions>;
  /** DPoP-bound upstream tokens, with this key pair (the BFF's). */
  dpop?: CryptoKeyPair;
  /** The origin's host: `localhost` for Chromium (a secure context: it keeps `__Host-` cookies). @default '127.0.0.1' */
  host?: 'localhost' | '127.0.0.1';
}

/** oidc-provider, a resource server, N BFF instances on one store, a round-robin balancer before them. */
export interface BffStack {
  /** The balancer's URL: the app's origin as the browser sees it. */
  origin: string;
  provider: OidcServer;
  resource: ResourceServer;
  balancer: RoundRobin;
  bffs: Bff[];
  /** Upstream refreshes the BFFs made, by outcome. */
  refreshes: Record<'rotated' | 'kept' | 'refused' | 'unavailable' | 'fenced', number>;
  close(): Promise<void>;
}

export async function startBffStack(options: BffStackOptions): Promise<BffStack> {
  const balancer = await startRoundRobin([]);
  const origin = balancer.url.replace('127.0.0.1', options.host ?? '127.0.0.1');
  const provider = await startOidcProvider({
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 30,
    clients: [
      {
        client_id: BFF_CLIENT_ID,
        client_secret: BFF_CLIENT_SECRET,
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: [`${origin}/bff/callback`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        backchannel_logout_uri: `${balancer.url}/bff/backchannel-logout`,
        backchannel_logout_session_required: true,
        require_auth_time: true,
        ...options.clientMetadata,
      },
    ],
  });
  const resource = await startResourceServer();
  const refreshes = { rotated: 0, kept: 0, refused: 0, unavailable: 0, fenced: 0 };
  const bffs: Bff[] = [];
  const servers: Server[] = [];
  for (let i = 0; i < (options.instances ?? 1); i++) {
    const bff = createBff({
      upstream: oidcUpstream({
        issuer: provider.issuer,
        clientId: BFF_CLIENT_ID,
        client: options.client ?? { secret: BFF_CLIENT_SECRET },
        redirectUri: `${origin}/bff/callback`,
        scope: 'openid offline_access email',
        allowInsecureRequests: true,
        ...(options.dpop && { dpop: options.dpop }),
      }),
      store: options.store(),
      keys: TEST_KEYS,
      origin,
      proxy: [
        { path: '/api/me', target: `${provider.issuer}/me` },
        { path: '/api/resource', target: resource.url },
      ],
      onRefresh: ({ outcome }) => void refreshes[outcome]++,
      ...options.bff,
    });
    const server = createServer(toNodeHandler(bff));
    proxyWebSockets(server, bff);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    bffs.push(bff);
    servers.push(server);
  }
  balancer.setUpstreams(
    servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`),
  );
  return {
    origin,
    provider,
    resource,
    balancer,
    bffs,
    refreshes,
    async close() {
      await balancer.close();
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await Promise.all(bffs.map((bff) => bff.close()));
      await Promise.all([provider.close(), resource.close()]);
    },
  };
}
